using System.Diagnostics;
using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// What pruning and low-rank factorization buy on real models: parameters, file, gzip and MACs ratios, CPU
/// latency against the original A/B interleaved in one process (the gate's engine, repeated for the spread),
/// and fidelity to the original on held-out data. The PP-OCR classifier (channel 30%, channel 30% searched
/// within 5% top-1 disagreement, magnitude 50%) on synthetic text lines; all-MiniLM-L6-v2 (factorize 95% energy)
/// on Debian's fortune cookies, mean-pooled embeddings. Usage: prune-figures [rounds=3] [seconds=2] [cases=cls,minilm].
/// </summary>
internal static class PruneFigures
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var cases = (args.Length > 2 ? args[2] : "cls,minilm").Split(',');
        var latency = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        var dir = Directory.CreateTempSubdirectory("pg-prune-figures-").FullName;
        try
        {
            if (cases.Contains("cls"))
            {
                Classifier(dir, rounds, latency);
            }

            if (cases.Contains("minilm"))
            {
                MiniLm(dir, rounds, latency);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static void Classifier(string dir, int rounds, LatencyOptions latency)
    {
        var dims = new Dictionary<string, long>(StringComparer.Ordinal) { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 48, ["p2o.DynamicDimension.2"] = 192 };
        var searchData = Path.Combine(dir, "search-lines.npy");
        NpyFile.Write(searchData, SyntheticText.TextLines(24, 48, 192));
        var heldOut = Path.Combine(dir, "held-out-lines.npy");
        NpyFile.Write(heldOut, SyntheticText.TextLines(64, 48, 192, firstSeed: 1000));
        var input = new Dictionary<string, TensorData> { ["x"] = SyntheticText.TextLine(48, 192, 7) };
        var search = Data(searchData);
        foreach (var (name, options) in new (string, (string, string)[])[]
        {
            ("channel 30%", [("method", "channel"), ("sparsity", "0.3")]),
            ("channel 30%, max-drop 5% (search on 24 lines)", [("method", "channel"), ("sparsity", "0.3"), ("max-drop", "0.05")]),
            ("magnitude 50%", [("method", "magnitude"), ("sparsity", "0.5")]),
        })
        {
            Case("PP-OCR classifier", RealModels.OcrClassifier, "prune", options, search, Data(heldOut), input, dims, dir, rounds, latency, name);
        }
    }

    private static void MiniLm(string dir, int rounds, LatencyOptions latency)
    {
        var cookies = RealText.Cookies;
        var text = Path.Combine(dir, "cookies.txt");
        File.WriteAllLines(text, cookies.Skip(100).Take(64));
        var data = Data(text) with { Tokenizer = RealEncoder.MiniLmVocab, MaxLength = 128 };
        var model = RealEncoder.MiniLmModel;
        using var probe = InferenceSession.Create(model);
        using var dataset = Measure.Text.TextDataset.Open(text, RealEncoder.MiniLmVocab, 128, null, [.. probe.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray()))]);
        var input = dataset.ReadBatch(0, 1).Inputs.ToDictionary(static kv => kv.Key, static kv => kv.Value, StringComparer.Ordinal);
        Case("all-MiniLM-L6-v2", model, "factorize", [("energy", "0.95")], null, data, input, new Dictionary<string, long>(StringComparer.Ordinal) { ["batch_size"] = 1, ["sequence_length"] = input.Values.First().Shape[1] }, dir, rounds, latency, "factorize 95% energy");
    }

    private static DataConfig Data(string path) => new(path, path, null, new Dictionary<string, string>(), null, new SourceLocation("benchmark", 1, 1));

    private static void Case(string modelName, string modelPath, string kind, (string Key, string Value)[] options, DataConfig? searchData, DataConfig heldOut,
        Dictionary<string, TensorData> input, IReadOnlyDictionary<string, long> dims, string dir, int rounds, LatencyOptions latency, string name)
    {
        var original = ModelFile.Load(modelPath);
        var step = new RecipeStep(kind, options.ToDictionary(static o => o.Key, static o => o.Value, StringComparer.Ordinal), new SourceLocation("benchmark", 1, 1));
        var clock = Stopwatch.StartNew();
        var result = OptimizationSteps.Get(step).Apply(original, step, new OptimizationContext(dir, searchData));
        var built = clock.Elapsed;
        var variantPath = Path.Combine(dir, "variant.onnx");
        ModelWriter.Save(result.Model, variantPath);
        var variant = ModelFile.Load(variantPath);
        var a = SizeMeter.Measure(original, ModelInspector.Inspect(original, fixedDims: dims));
        var b = SizeMeter.Measure(variant, ModelInspector.Inspect(variant, fixedDims: dims));

        var reference = ModelEvaluator.Evaluate(modelPath, heldOut, "top1", SessionConfig.Default);
        var candidate = ModelEvaluator.Evaluate(variantPath, heldOut, "top1", SessionConfig.Default);
        var fidelity = candidate.FidelityAgainst(reference);

        using var sa = InferenceSession.Create(original.ToByteArray(), "original");
        using var sb = InferenceSession.Create(variant.ToByteArray(), "variant");
        using var runA = sa.Prepare(input);
        using var runB = sb.Prepare(input);
        var timed = LatencyRounds.Run(runA, runB, latency, rounds);
        static string R(double after, double before) => (after / before).ToString("0.000", CultureInfo.InvariantCulture) + "×";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{modelName} | {name} | built in {built.TotalSeconds:0.0} s | params {a.ParameterCount:N0} → {b.ParameterCount:N0} ({R(b.ParameterCount, a.ParameterCount)}), nonzero {R(b.NonzeroParameterCount, a.NonzeroParameterCount)} | " +
            $"file {a.TotalBytes:N0} → {b.TotalBytes:N0} B ({R(b.TotalBytes, a.TotalBytes)}) | gzip {a.CompressedBytes:N0} → {b.CompressedBytes:N0} B ({R(b.CompressedBytes, a.CompressedBytes)}) | " +
            $"MACs{(a.MacsComplete && b.MacsComplete ? "" : " (lower bound)")} {a.Macs:N0} → {b.Macs:N0} ({R(b.Macs, a.Macs)}) | " +
            $"{timed.Summary()} | " +
            $"held-out fidelity on {candidate.Samples} samples: cosine {fidelity?.MeanCosineSimilarity:0.0000}, top-1 agreement {(fidelity?.Top1Agreement is { } t ? t.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a")}, relative L2 {fidelity?.RelativeL2:0.0000}"));
        foreach (var note in result.Notes)
        {
            Console.WriteLine("    " + note);
        }
    }
}
