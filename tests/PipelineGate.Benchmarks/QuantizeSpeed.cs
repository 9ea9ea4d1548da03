using System.Diagnostics;
using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Environment;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Weight throughput of the quantizer (320 MiB of float32 MatMul weights in memory) per mode, timed
/// three times each (BenchmarkDotNet's in-process toolchain refuses operations this long), with peak
/// memory growth. Usage: quantize-speed.
/// </summary>
internal static class QuantizeSpeed
{
    public static int Run(string[] args)
    {
        var path = LargeModel.Ensure(Path.Combine(Path.GetTempPath(), "pg-bench-io-320"), 320);
        var model = ModelFile.Load(path);
        var weightMiB = model.Model.Graph.Initializer.Sum(static t => (long)t.RawData.Length) / 1048576.0;
        foreach (var mode in args.Length > 0 ? args : ["dynamic", "int4", "fp16"])
        {
            var step = new RecipeStep("quantize", new Dictionary<string, string> { ["mode"] = mode }, new SourceLocation("benchmark", 1, 1));
            var seconds = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                var clock = Stopwatch.StartNew();
                var output = new QuantizeStep().Apply(model, step, new OptimizationContext(".", null));
                seconds.Add(clock.Elapsed.TotalSeconds);
                GC.KeepAlive(output);
            }

            seconds.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{mode}: {weightMiB:0} MiB of weights in {seconds[1]:0.00} s median [{seconds[0]:0.00} … {seconds[2]:0.00}] = {weightMiB / seconds[1]:0} MiB/s"));
        }

        return 0;
    }
}
