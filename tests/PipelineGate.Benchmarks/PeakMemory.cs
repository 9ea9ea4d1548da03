using System.Diagnostics;
using System.Globalization;
using PipelineGate.Measure.Environment;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Benchmarks;

/// <summary>Peak resident memory of loading a model, relative to its file size (goal ≤ 1.5×), measured in a fresh process.</summary>
internal static class PeakMemory
{
    public static int Run(string[] args)
    {
        var size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 320;
        var path = LargeModel.Ensure(Path.Combine(Path.GetTempPath(), "pg-bench-io-" + size), size);
        var fileBytes = new FileInfo(path).Length;
        GC.Collect();
        ProcessMemory.TryResetPeak();
        var before = ProcessMemory.CurrentBytes();
        var clock = Stopwatch.StartNew();
        var model = ModelFile.Load(path);
        var seconds = clock.Elapsed.TotalSeconds;
        var peak = ProcessMemory.PeakBytes();
        GC.KeepAlive(model);
        var ratio = (peak - before) / (double)fileBytes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"file {fileBytes / 1048576.0:0.0} MiB, load {seconds * 1000:0} ms ({fileBytes / 1048576.0 / seconds:0} MiB/s, cold JIT), peak RSS growth {(peak - before) / 1048576.0:0.0} MiB = {ratio:0.00}x file"));
        return 0;
    }
}
