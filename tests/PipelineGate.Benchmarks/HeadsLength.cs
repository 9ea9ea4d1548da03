using System.Globalization;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Attention heads on MiniLM by sequence length (issue 14): all-MiniLM-L6-v2 with 4 of 12 heads removed in every
/// layer (and, for comparison, 30% of its FFN neurons) against the original, at each given length (one real text of exactly that many tokens, batch 1). For each
/// length: ORT's per-node profile of the fp32 original (the share of its kernel time in what heads pruning shrinks, and
/// the ideal ratio that share gives), then CPU latency A/B interleaved in one process, round after round, of
/// (1) the pruned fp32 models against fp32 and (2) each pruned model quantized by the gate's dynamic step against the
/// original quantized the same way (prune, then quantize: what removing heads buys on top of int8). Fidelity: cosine of
/// masked-mean sentence embeddings to fp32 over real texts of that length (fortune cookies joined until long enough).
/// Usage: heads-length [rounds=3] [seconds=2] [lengths=128,256,512] [profile-runs=50] [texts=32].
/// </summary>
internal static class HeadsLength
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var lengths = (args.Length > 2 ? args[2] : "128,256,512").Split(',').Select(static l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var profileRuns = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;
        var texts = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 32;
        var latency = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 30 };
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var original = ModelFile.Load(RealEncoder.MiniLmModel);
        var heads = PruneProfile.Prune(original, [("method", "heads"), ("sparsity", "0.34")], out var notes);
        var ffn = PruneProfile.Prune(original, [("method", "ffn"), ("sparsity", "0.3")], out var ffnNotes);
        foreach (var note in notes.Concat(ffnNotes))
        {
            Console.WriteLine("    " + note);
        }

        var fp32 = new List<(string Name, byte[] Bytes)> { ("original fp32", original.ToByteArray()), ("heads 4 of 12 fp32", heads.ToByteArray()), ("ffn 30% fp32", ffn.ToByteArray()) };
        var int8 = fp32.Select(static m => (m.Name.Replace("fp32", "int8", StringComparison.Ordinal), MiniLmBench.QuantizeDynamic(ModelFile.Load(m.Bytes, m.Name)))).ToList();
        Console.WriteLine($"all-MiniLM-L6-v2, {Environment.ProcessorCount} logical CPUs, int8 weight type: {PipelineGate.Optimize.Quantization.QuantizeOptions.AutoWeightType} (auto on this CPU)");
        var dir = Directory.CreateTempSubdirectory("pg-heads-length-").FullName;
        try
        {
            foreach (var length in lengths)
            {
                var samples = LongTexts(tokenizer, length, texts + 1);
                var feed = MiniLmBench.Inputs(samples[0]);
                var label = $"{length} tokens";
                var parts = PruneProfile.PrintProfile($"MiniLM original fp32, {label}", fp32[0].Bytes, feed, dir, profileRuns, PruneProfile.MiniLmParts(original));
                var total = parts.Values.Sum(static p => p.Ms);
                var shrunk = parts.Where(static p => p.Value.Part.StartsWith("H ", StringComparison.Ordinal)).Sum(static p => p.Value.Ms);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {label}: heads pruning shrinks {shrunk / total * 100:0.0}% of the fp32 kernel time; ideal for 4 of 12: {1 - (shrunk / total / 3):0.000}×"));
                Fidelity(label, fp32, int8, samples.Skip(1).ToArray());
                PruneProfile.AB($"MiniLM fp32, {label}", fp32, feed, latency, rounds);
                PruneProfile.AB($"MiniLM int8, {label}", int8, feed, latency, rounds);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    /// <summary><paramref name="count"/> token sequences of exactly <paramref name="length"/> ids ([CLS] … [SEP]), each from consecutive fortune cookies joined until the text is long enough.</summary>
    private static int[][] LongTexts(TextTokenizer tokenizer, int length, int count)
    {
        var cookies = RealText.Cookies;
        var result = new List<int[]>();
        var next = 0;
        while (result.Count < count)
        {
            var text = "";
            int[] ids;
            do
            {
                if (next >= cookies.Count)
                {
                    throw new InvalidOperationException($"not enough text for {count} sequences of {length} tokens");
                }

                text += (text.Length == 0 ? "" : " ") + cookies[next++];
                ids = tokenizer.Encode(text, length, out _);
            }
            while (ids.Length < length);
            result.Add(ids);
        }

        return result.ToArray();
    }

    /// <summary>Mean and min cosine to the fp32 original of the pruned fp32 models, the int8 original and the pruned int8 models.</summary>
    private static void Fidelity(string label, List<(string Name, byte[] Bytes)> fp32, List<(string Name, byte[] Bytes)> int8, int[][] samples)
    {
        using var reference = InferenceSession.Create(fp32[0].Bytes, fp32[0].Name);
        foreach (var (name, bytes) in fp32.Skip(1).Concat(int8))
        {
            using var candidate = InferenceSession.Create(bytes, name);
            var cosines = samples.Select(ids =>
            {
                var inputs = MiniLmBench.Inputs(ids);
                var output = reference.Outputs[0].Name;
                var a = SentenceEmbeddings.Pool(reference.Run(inputs)[output], inputs["attention_mask"], output);
                var b = SentenceEmbeddings.Pool(candidate.Run(inputs)[output], inputs["attention_mask"], output);
                return EmbeddingCosine.Of(a, b);
            }).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {label}: {name} cosine to fp32 over {samples.Length} texts mean {cosines.Average():0.0000} min {cosines.Min():0.0000}"));
        }
    }
}
