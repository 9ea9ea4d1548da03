using System.Runtime.InteropServices;
using PipelineGate.Runtime;
using PipelineGate.Runtime.Native;

namespace PipelineGate.Benchmarks;

/// <summary>Calls the C loop in libpgortloop.so with the native arguments of a <see cref="PreparedRun"/>.</summary>
internal static unsafe partial class NativeRunLoop
{
    private const string Library = "pgortloop";

    public static bool Available
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "libpgortloop.so");
            return File.Exists(path) && NativeLibrary.TryLoad(path, out _);
        }
    }

    public static void Run(PreparedRun prepared, int iterations)
    {
        var a = prepared.NativeArguments;
        var api = OrtApi.Instance;
        var failed = pg_run_loop(api[OrtApiSlot.Run], api[OrtApiSlot.ReleaseStatus], a.Session, a.InputNames, a.InputValues, a.InputCount, a.OutputNames, a.OutputCount, a.OutputValues, iterations);
        if (failed != 0)
        {
            throw new InvalidOperationException($"Run failed in the C loop at iteration {failed}.");
        }
    }

    [LibraryImport(Library)]
    private static partial int pg_run_loop(nint run, nint releaseStatus, nint session, nint inputNames, nint inputs, nuint inputCount, nint outputNames, nuint outputCount, nint outputs, int iterations);
}
