using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Benchmarks;

/// <summary>
/// PipelineGate's median latency vs onnxruntime-node 1.30.0 (the same native library) on the same model,
/// input values and thread settings, in alternating rounds: node process, then this process, repeated.
/// Usage: vs-node [rounds=7]. onnxruntime-node is installed with npm (--ignore-scripts) into the cache.
/// </summary>
internal static class VsNode
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        var ortNode = InstallOrtNode();
        var tinyPath = Path.Combine(Path.GetTempPath(), "pg-vs-node-relu.onnx");
        File.WriteAllBytes(tinyPath, TinyModels.Single("Relu", TensorElementType.Float, ["1", "16"], []));
        Compare("tiny (Relu 1×16)", tinyPath, "x", [1, 16], 20000, rounds, ortNode);
        Compare("PP-OCRv4 recognizer [1,3,48,320]", RealModels.OcrRecognizer, "x", [1, 3, 48, 320], 60, rounds, ortNode);
        return 0;
    }

    private static void Compare(string label, string model, string input, long[] dims, int runs, int rounds, string ortNode)
    {
        var count = (int)dims.Aggregate(1L, static (a, b) => a * b);
        var values = Enumerable.Range(0, count).Select(static i => (i % 1000) / 1000f).ToArray();
        var feed = new Dictionary<string, TensorData> { [input] = TensorData.Create(values, dims) };
        using var session = InferenceSession.Create(model, SessionConfig.Default);
        using var prepared = session.Prepare(feed);
        var ratiosPrepared = new List<double>();
        var ratiosPlain = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var node = NodeMedian(ortNode, model, input, dims, runs);
            var csPrepared = Median(runs, prepared.Run);
            var csPlain = Median(runs, () => session.Run(feed));
            ratiosPrepared.Add(csPrepared / node);
            ratiosPlain.Add(csPlain / node);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label} round {r + 1}: node {node * 1000:0.0} µs, C# prepared {csPrepared * 1000:0.0} µs, C# Run {csPlain * 1000:0.0} µs"));
        }

        ratiosPrepared.Sort();
        ratiosPlain.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: PipelineGate/onnxruntime-node median ratio {ratiosPrepared[rounds / 2]:0.000} [min {ratiosPrepared[0]:0.000}, max {ratiosPrepared[^1]:0.000}] with preallocated outputs (the bench path); {ratiosPlain[rounds / 2]:0.000} [min {ratiosPlain[0]:0.000}, max {ratiosPlain[^1]:0.000}] with Run() allocating and copying outputs; {rounds} alternating rounds of {runs} runs"));
    }

    private static double Median(int runs, Action run)
    {
        for (var i = 0; i < 20; i++)
        {
            run();
        }

        var t = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            t[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(t);
        return t[runs / 2];
    }

    private static double NodeMedian(string ortNode, string model, string input, long[] dims, int runs)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "node", "ort-node-bench.js"), ortNode, model, input, JsonSerializer.Serialize(dims), runs.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("onnxruntime-node failed: " + error);
        }

        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("medianMs").GetDouble();
    }

    /// <summary>npm install onnxruntime-node@1.30.0 without its install script (which downloads GPU binaries from elsewhere).</summary>
    private static string InstallOrtNode()
    {
        var dir = Path.Combine(AssetCache.Root, "npm", "onnxruntime-node-install-1.30.0");
        var module = Path.Combine(dir, "node_modules", "onnxruntime-node");
        if (!Directory.Exists(module))
        {
            Directory.CreateDirectory(dir);
            var psi = new ProcessStartInfo("npm") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "install", "onnxruntime-node@1.30.0", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", dir })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException("npm install onnxruntime-node failed: " + error);
            }
        }

        return module;
    }
}
