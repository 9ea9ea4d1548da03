using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Statistics;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// CPU latency of each quantization mode against the float model, A/B interleaved in one process with
/// the gate's own engine (block-paired, extended while undecided), repeated to show the spread, on the
/// real models. Usage: quantize-latency [rounds=3] [seconds-per-model=2].
/// </summary>
internal static class QuantizedLatency
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        var repo = RepoPaths.Root;
        var digits = Path.Combine(repo, "samples", "digits", "digits_mlp.onnx");
        var calibration = Path.Combine(repo, "samples", "digits", "calibration", "pixels.npy");
        var pixels = NpyFile.Read(Path.Combine(repo, "samples", "digits", "eval", "pixels.npy"));
        var digitsInput = new Dictionary<string, TensorData> { ["pixels"] = TensorData.Create(pixels.ToFloatArray().Take(64).ToArray(), 1, 64) };
        var rng = new Random(1);
        var line = new Dictionary<string, TensorData> { ["x"] = RandomTensors.Create(TensorElementType.Float, [1, 3, 48, 320], rng) };
        var page = new Dictionary<string, TensorData> { ["x"] = RandomTensors.Create(TensorElementType.Float, [1, 3, 320, 320], rng) };
        var audio = RealAudio.ReadMono16k(RealAudio.SpeakerTestClips[0]);
        var frame = new Dictionary<string, TensorData>
        {
            ["input"] = TensorData.Create(audio.AsSpan(4 * 1536, 1536).ToArray(), 1, 1536),
            ["sr"] = TensorData.Create(new long[] { 16000 }),
            ["h"] = TensorData.Create(new float[128], 2, 1, 64),
            ["c"] = TensorData.Create(new float[128], 2, 1, 64),
        };

        var cases = new (string Name, string Path, Dictionary<string, TensorData> Input, (string Key, string Value)[] Recipe)[]
        {
            ("digits MLP", digits, digitsInput, [("mode", "dynamic")]),
            ("digits MLP", digits, digitsInput, [("mode", "static"), ("calibration", calibration)]),
            ("digits MLP", digits, digitsInput, [("mode", "fp16")]),
            ("digits MLP", digits, digitsInput, [("mode", "int4")]),
            ("PP-OCRv4 recognizer", RealModels.OcrRecognizer, line, [("mode", "dynamic")]),
            ("PP-OCRv4 recognizer", RealModels.OcrRecognizer, line, [("mode", "fp16")]),
            ("PP-OCRv4 recognizer", RealModels.OcrRecognizer, line, [("mode", "int4")]),
            ("PP-OCRv4 detector", RealModels.OcrDetector, page, [("mode", "fp16")]),
            ("Silero VAD v4", RealModels.SileroVad, frame, [("mode", "dynamic")]),
            ("Silero VAD v4", RealModels.SileroVad, frame, [("mode", "fp16")]),
        };

        foreach (var (name, path, input, recipe) in cases)
        {
            var original = ModelFile.Load(path);
            var step = new RecipeStep("quantize", recipe.ToDictionary(static r => r.Key, static r => r.Value), new SourceLocation("benchmark", 1, 1));
            var variant = new QuantizeStep().Apply(original, step, new OptimizationContext(repo, null)).Model;
            var originalBytes = original.ToByteArray();
            var variantBytes = variant.ToByteArray();
            using var a = InferenceSession.Create(originalBytes, "fp32");
            using var b = InferenceSession.Create(variantBytes, "variant");
            using var runA = a.Prepare(input);
            using var runB = b.Prepare(input);
            var measured = new LatencyRounds();
            for (var r = 0; r < rounds; r++)
            {
                measured.Add(runA, runB, options);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} | {recipe[0].Value} | size {originalBytes.Length:N0} → {variantBytes.Length:N0} B ({(double)variantBytes.Length / originalBytes.Length:0.000}×) | ") + measured.Summary());
        }

        return 0;
    }
}
