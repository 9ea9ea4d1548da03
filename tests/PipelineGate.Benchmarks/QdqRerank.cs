using System.Globalization;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Re-ranking the static QDQ fallback (<c>rerank</c> 0, 1, 2) on the PP-OCRv4 recognizer, where an earlier
/// "give back" refinement over-fitted (docs/static-quantization.md): calibrated (and the drop measured) on
/// 8 synthetic text lines, judged on held-out lines of other seeds by per-timestep top-1 agreement with the
/// float model (and the budget's own metric, the mean cosine per line). Prints, per setting: nodes fallen back,
/// models evaluated, size ratio, held-out agreement and cosine.
/// No latency. Usage: qdq-rerank [max-drop=0.001] [held-out-lines=16] [metric=default]
/// </summary>
internal static class QdqRerank
{
    public static int Run(string[] args)
    {
        var maxDrop = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 0.001;
        var heldCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var metric = args.Length > 2 && args[2] != "default" ? args[2] : null;
        var folder = Directory.CreateTempSubdirectory("qdq-rerank");
        try
        {
            var lines = Enumerable.Range(1, 8).SelectMany(static seed => SyntheticText.TextLine(48, 320, seed).ToFloatArray()).ToArray();
            var calibration = Path.Combine(folder.FullName, "x.npy");
            NpyFile.Write(calibration, TensorData.Create(lines, 8, 3, 48, 320));
            var input = ModelFile.Load(RealModels.OcrRecognizer);
            var inputBytes = input.ToByteArray().Length;
            using var f32 = InferenceSession.Create(input.ToByteArray(), "f32");
            var held = Enumerable.Range(11, heldCount).Select(static seed => new Dictionary<string, TensorData> { ["x"] = SyntheticText.TextLine(48, 320, seed) }).ToList();
            var references = held.Select(f => f32.Run(f).Values.Single()).ToList();
            Console.WriteLine($"PP-OCRv4 recognizer, max-drop {maxDrop.ToString(CultureInfo.InvariantCulture)} in {metric ?? "the default metric"}, 8 calibration lines, {heldCount} held-out lines, {Environment.ProcessorCount} logical CPU(s):");
            foreach (var rerank in new[] { 0, 1, 2 })
            {
                var result = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static", MaxDrop = maxDrop, MaxDropMetric = metric, Rerank = rerank }, calibration, log: null);
                var note = result.Notes.Single(static n => n.StartsWith("accuracy-aware fallback", StringComparison.Ordinal));
                using var q = InferenceSession.Create(result.Model.ToByteArray(), "qdq");
                var outputs = held.Select(f => q.Run(f).Values.Single()).ToList();
                var agreement = outputs.Select((o, i) => FidelityMetrics.Compute(o.ToDoubleArray(), references[i].ToDoubleArray(), (int)references[i].Shape[^1]).Top1Agreement!.Value).ToList();
                var cosine = outputs.Select((o, i) => FidelityMetrics.Compute(o, references[i]).MeanCosineSimilarity).ToList();
                var kept = note.IndexOf(", with ", StringComparison.Ordinal) is var at and >= 0 ? note[(at + 7)..].Split(';')[0] : "no fallback";
                var evaluations = System.Text.RegularExpressions.Regex.Match(note, @"\((\d+) models evaluated\)").Groups[1].Value;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rerank {rerank} | {kept} | {evaluations} models evaluated | size {(double)result.Model.ToByteArray().Length / inputBytes:0.000}× | held-out per-timestep top-1 agreement mean {agreement.Average():0.0000} min {agreement.Min():0.0000} | held-out cosine mean {cosine.Average():0.00000} min {cosine.Min():0.00000}"));
                Console.WriteLine("  " + note);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        return 0;
    }
}
