using System.Runtime.InteropServices;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The C loop in libpgortloop.so: its own session of the same model bytes and inputs as a
/// <see cref="PreparedRun"/>, created through the OrtApi of the library this process loaded.
/// </summary>
internal sealed unsafe partial class NativeRunLoop : IDisposable
{
    private const string Library = "pgortloop";
    private readonly GCHandle[] _pins;
    private readonly nint[] _strings;

    public NativeRunLoop(byte[] model, TensorData input, string inputName, long[] outputShape, string outputName)
    {
        var ort = NativeLibrary.Load(OrtEnvironment.LibraryPath);
        var getApiBase = NativeLibrary.GetExport(ort, "OrtGetApiBase");
        var inData = MemoryMarshal.Cast<byte, float>(input.Bytes).ToArray();
        var outData = new float[TensorData.ShapeElementCount(outputShape)];
        var inDims = input.ShapeArray();
        _pins = [GCHandle.Alloc(model, GCHandleType.Pinned), GCHandle.Alloc(inData, GCHandleType.Pinned), GCHandle.Alloc(outData, GCHandleType.Pinned),
            GCHandle.Alloc(inDims, GCHandleType.Pinned), GCHandle.Alloc(outputShape, GCHandleType.Pinned)];
        _strings = [Marshal.StringToCoTaskMemUTF8(inputName), Marshal.StringToCoTaskMemUTF8(outputName)];
        var status = pg_loop_open(getApiBase, _pins[0].AddrOfPinnedObject(), (nuint)model.Length,
            _pins[1].AddrOfPinnedObject(), _pins[3].AddrOfPinnedObject(), (nuint)inDims.Length, _strings[0],
            _pins[2].AddrOfPinnedObject(), _pins[4].AddrOfPinnedObject(), (nuint)outputShape.Length, _strings[1]);
        if (status != 0)
        {
            throw new InvalidOperationException($"The C loop could not set up its session (step {status}).");
        }
    }

    public static bool Available
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "libpgortloop.so");
            return File.Exists(path) && NativeLibrary.TryLoad(path, out _);
        }
    }

    public void Run(int iterations)
    {
        var failed = pg_loop_run(iterations);
        if (failed != 0)
        {
            throw new InvalidOperationException($"Run failed in the C loop at iteration {failed}.");
        }
    }

    public void Dispose()
    {
        pg_loop_close();
        foreach (var p in _pins)
        {
            p.Free();
        }

        foreach (var s in _strings)
        {
            Marshal.FreeCoTaskMem(s);
        }
    }

    [LibraryImport(Library)]
    private static partial int pg_loop_open(nint getApiBase, nint model, nuint modelLength, nint inData, nint inDims, nuint inRank, nint inputName,
        nint outData, nint outDims, nuint outRank, nint outputName);

    [LibraryImport(Library)]
    private static partial int pg_loop_run(int iterations);

    [LibraryImport(Library)]
    private static partial void pg_loop_close();
}
