using System.Globalization;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Latency;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The static QDQ fallback tiers on the PP-OCRv4 detector with real document images (4 for calibration,
/// 4 held out, <see cref="RealDocuments"/>): no fallback, and max-drop (default 0.01 in fidelity.cosine)
/// with fallback float, uint16 and auto, and float and auto with re-ranking (rerank rounds, default 2). For each: size ratio, held-out cosine mean/min of the probability
/// map, and the latency ratio vs fp32 on one held-out image, A/B interleaved with the gate's engine; the
/// rounds go through all variants in turn, so every variant is measured across the same stretch of time.
/// Usage: qdq-fallback [rounds=3] [seconds-per-comparison=2] [max-drop=0.01] [metric=fidelity.cosine] [pixels=imagenet|unit] [rerank=2]
/// (imagenet: PaddleOCR's mean/std normalisation; unit: plain [0, 1] pixels, as the synthetic-image tests feed).
/// </summary>
internal static class QdqFallback
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var maxDrop = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.01;
        var metric = args.Length > 3 ? args[3] : "fidelity.cosine";
        var unit = args.Length > 4 && args[4] == "unit";
        var rerank = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2;
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };

        var folder = Directory.CreateTempSubdirectory("qdq-fallback");
        try
        {
            var calibration = RealDocuments.WriteNpy(folder.FullName, RealDocuments.CalibrationImages, unit);
            var held = RealDocuments.Tensor(RealDocuments.HeldOutImages, unit);
            var input = ModelFile.Load(RealModels.OcrDetector);
            var inputBytes = input.ToByteArray();
            using var f32 = InferenceSession.Create(inputBytes, "fp32");
            var reference = f32.Run(new Dictionary<string, TensorData> { ["x"] = held }).Values.Single();
            var one = new Dictionary<string, TensorData> { ["x"] = TensorData.Create(held.ToFloatArray().AsSpan(0, 3 * RealDocuments.Side * RealDocuments.Side).ToArray(), 1, 3, RealDocuments.Side, RealDocuments.Side) };
            using var runA = f32.Prepare(one);

            var variants = new (string Name, QuantizeOptions Options)[]
            {
                ("no fallback", new QuantizeOptions { Mode = "static" }),
                ("fallback float", new QuantizeOptions { Mode = "static", MaxDrop = maxDrop, MaxDropMetric = metric, Fallback = "float" }),
                ("fallback uint16", new QuantizeOptions { Mode = "static", MaxDrop = maxDrop, MaxDropMetric = metric, Fallback = "uint16" }),
                ("fallback auto", new QuantizeOptions { Mode = "static", MaxDrop = maxDrop, MaxDropMetric = metric, Fallback = "auto" }),
                ($"fallback float rerank {rerank}", new QuantizeOptions { Mode = "static", MaxDrop = maxDrop, MaxDropMetric = metric, Fallback = "float", Rerank = rerank }),
                ($"fallback auto rerank {rerank}", new QuantizeOptions { Mode = "static", MaxDrop = maxDrop, MaxDropMetric = metric, Fallback = "auto", Rerank = rerank }),
            };

            var built = new List<(string Name, string Line, InferenceSession Session, PreparedRun Run, LatencyRounds Rounds)>();
            foreach (var (name, o) in variants)
            {
                var result = StaticQuantizer.Apply(input, o, calibration, log: null);
                var bytes = result.Model.ToByteArray();
                var session = InferenceSession.Create(bytes, name);
                var f = FidelityMetrics.Compute(session.Run(new Dictionary<string, TensorData> { ["x"] = held }).Values.Single(), reference);
                var kept = result.Notes.FirstOrDefault(static n => n.StartsWith("accuracy-aware fallback", StringComparison.Ordinal)) is { } note
                    ? note[(note.IndexOf(", with ", StringComparison.Ordinal) is var i and >= 0 ? i + 7 : 0)..].Split(';')[0]
                    : "-";
                var fallbackNote = result.Notes.FirstOrDefault(static n => n.StartsWith("accuracy-aware fallback", StringComparison.Ordinal)) ?? "";
                var evaluations = System.Text.RegularExpressions.Regex.Match(fallbackNote, @"\((\d+) models evaluated\)") is { Success: true } m ? m.Groups[1].Value + " models evaluated" : "-";
                var reranked = fallbackNote.IndexOf("; re-ranked", StringComparison.Ordinal) is var at and >= 0 ? " |" + fallbackNote[(at + 1)..fallbackNote.IndexOf(". ", at, StringComparison.Ordinal)] : "";
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{name} | size {inputBytes.Length:N0} → {bytes.Length:N0} B ({(double)bytes.Length / inputBytes.Length:0.000}×) | held-out cosine mean {f.MeanCosineSimilarity:0.0000} min {f.MinCosineSimilarity:0.0000} | {kept} | {evaluations}{reranked}");
                Console.WriteLine("  " + fallbackNote);
                Console.WriteLine(line);
                built.Add((name, line, session, session.Prepare(one), new LatencyRounds()));
            }

            for (var r = 0; r < rounds; r++)
            {
                foreach (var v in built)
                {
                    v.Rounds.Add(runA, v.Run, options);
                }
            }

            Console.WriteLine($"PP-OCRv4 detector, 1×3×320×320, {Environment.ProcessorCount} logical CPU(s), max-drop {maxDrop.ToString(CultureInfo.InvariantCulture)} in {metric}, {(unit ? "[0, 1] pixels" : "ImageNet-normalised pixels")}:");
            foreach (var v in built)
            {
                Console.WriteLine(v.Line + " | " + v.Rounds.Summary());
                v.Run.Dispose();
                v.Session.Dispose();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        return 0;
    }
}
