using System.Diagnostics;
using System.Globalization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The runtime layer's per-Run overhead against a C caller, interleaved: each round times a block of runs
/// through the C loop (its own session of the same model bytes, options and inputs), then the same number
/// through PreparedRun (official managed API, IoBinding, outputs preallocated); the
/// ratio is taken per round and its median reported with the spread, so machine drift hits both alike.
/// Usage: overhead [rounds=31] [runs-per-block=5000].
/// </summary>
internal static class OverheadInterleaved
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 31;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
        if (!NativeRunLoop.Available)
        {
            throw new InvalidOperationException("libpgortloop.so is missing: build this project on Linux with gcc.");
        }

        Measure("tiny (Relu 1×16)", TinyModels.Single("Relu", TensorElementType.Float, ["1", "16"], []), [1, 16], rounds, runs);
        Measure("large (384×384 MatMul ×8)", TinyModels.MatMulChain(384, 8), [384, 384], rounds, Math.Max(5, runs / 1000));
        return 0;
    }

    private static void Measure(string label, byte[] model, long[] dims, int rounds, int runs)
    {
        using var session = InferenceSession.Create(model, label);
        var input = RandomTensors.Create(TensorElementType.Float, dims, new Random(1));
        using var prepared = session.Prepare(new Dictionary<string, TensorData> { ["x"] = input });
        using var native = new NativeRunLoop(model, input, "x", prepared.Output(0).Shape.ToArray(), prepared.OutputNames[0]);
        native.Run(runs);
        CSharpLoop(prepared, runs);
        var ratios = new double[rounds];
        var c = new double[rounds];
        var cs = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var start = Stopwatch.GetTimestamp();
            native.Run(runs);
            c[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / runs;
            start = Stopwatch.GetTimestamp();
            CSharpLoop(prepared, runs);
            cs[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / runs;
            ratios[r] = cs[r] / c[r];
        }

        Array.Sort(ratios);
        Array.Sort(c);
        Array.Sort(cs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: per Run C {c[rounds / 2]:0.000} µs, C# {cs[rounds / 2]:0.000} µs; C#/C median ratio {ratios[rounds / 2]:0.000} [IQR {ratios[rounds / 4]:0.000} … {ratios[3 * rounds / 4]:0.000}, min {ratios[0]:0.000}, max {ratios[^1]:0.000}] over {rounds} interleaved rounds of {runs} runs"));
    }

    private static void CSharpLoop(PreparedRun prepared, int runs)
    {
        for (var i = 0; i < runs; i++)
        {
            prepared.Run();
        }
    }
}
