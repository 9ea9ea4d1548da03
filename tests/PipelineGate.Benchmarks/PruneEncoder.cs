using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Statistics;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// all-MiniLM-L6-v2 with FFN neurons or attention heads removed (post-training, no fine-tuning) against the fp32
/// model: CPU latency A/B interleaved in one process with the gate's engine (one real text of 128 tokens, batch 1),
/// repeated to show the spread; file size, parameters and MACs (sequence 128); and fidelity, the cosine of each
/// sentence embedding (masked mean pooling) to the fp32 one over real sentences.
/// Usage: prune-encoder [rounds=3] [seconds-per-case=3] [sentences=256].
/// </summary>
internal static class PruneEncoder
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var sentences = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var cookies = RealText.Cookies;
        var long128 = Batch(tokenizer, [string.Join(" ", cookies.Take(40))], 128);
        var batches = cookies.Take(sentences).Chunk(16).Select(c => Batch(tokenizer, c, 128)).ToArray();
        var original = ModelFile.Load(RealEncoder.MiniLmModel);
        var reference = Embeddings(original.ToByteArray(), batches);

        var cases = new (string Name, (string Key, string Value)[][] Steps)[]
        {
            ("ffn 30%", [[("method", "ffn"), ("sparsity", "0.3")]]),
            ("heads 4 of 12", [[("method", "heads"), ("sparsity", "0.34")]]),
            ("heads 4 of 12 + ffn 30%", [[("method", "heads"), ("sparsity", "0.34")], [("method", "ffn"), ("sparsity", "0.3")]]),
        };

        Console.WriteLine($"all-MiniLM-L6-v2, {Environment.ProcessorCount} logical CPUs, ONNX Runtime CPU; latency input: 1 × 128 tokens of real text; fidelity: {batches.Sum(static b => b.Rows)} sentences (≤ 128 tokens), cosine to fp32.");
        foreach (var (name, steps) in cases)
        {
            var variant = original;
            foreach (var s in steps)
            {
                var step = new RecipeStep("prune", s.ToDictionary(static r => r.Key, static r => r.Value), new SourceLocation("benchmark", 1, 1));
                variant = new PruneStep().Apply(variant, step, new OptimizationContext(RepoPaths.Root, null)).Model;
            }

            var originalBytes = original.ToByteArray();
            var variantBytes = variant.ToByteArray();
            var cosines = Embeddings(variantBytes, batches).Zip(reference, EmbeddingCosine.Of).ToArray();
            var macsBefore = Macs(original, 128);
            var macsAfter = Macs(variant, 128);
            var paramsBefore = ChannelPruner.Parameters(original);
            var paramsAfter = ChannelPruner.Parameters(variant);

            using var a = InferenceSession.Create(originalBytes, "fp32");
            using var b = InferenceSession.Create(variantBytes, "pruned");
            using var runA = a.Prepare(long128.Feed);
            using var runB = b.Prepare(long128.Feed);
            var latency = LatencyRounds.Run(runA, runB, options, rounds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} | size {originalBytes.Length:N0} → {variantBytes.Length:N0} B ({(double)variantBytes.Length / originalBytes.Length:0.000}×) | " +
                $"params {paramsBefore:N0} → {paramsAfter:N0} ({(double)paramsAfter / paramsBefore:0.000}×) | MACs {macsBefore:N0} → {macsAfter:N0} ({(double)macsAfter / macsBefore:0.000}×) | " +
                $"{latency.Summary()} | " +
                $"cosine to fp32 mean {cosines.Average():0.0000} min {cosines.Min():0.0000} (p5 {cosines.Order().ElementAt(cosines.Length / 20):0.0000})"));
        }

        return 0;
    }

    /// <summary>
    /// MACs of one sequence: every MatMul/Gemm with a constant 2-D weight (sequence × in × out) (the pooler's Gemm reads one token) plus the two attention
    /// products of each block (2 × heads × sequence² × head size). The repo's estimator cannot follow this export's
    /// run-time Reshape targets (it reports a lower bound of 0), so the count comes from the weights.
    /// </summary>
    internal static long Macs(ModelFile model, long sequence)
    {
        var g = new GraphIndex(model);
        var linear = model.Graph.Node.Where(static n => n.OpType is "MatMul" or "Gemm")
            .Select(n => (Weight: g.FloatWeight(n.Input[1], 2), Rows: n.OpType == "Gemm" ? 1 : sequence))
            .Sum(static x => x.Weight is null ? 0 : x.Rows * x.Weight.Dims[0] * x.Weight.Dims[1]);
        var attention = AttentionMatcher.Find(g, []).Sum(b => 2L * b.Heads * sequence * sequence * b.HeadSize);
        return linear + attention;
    }

    internal sealed record TextBatch(Dictionary<string, TensorData> Feed, int Rows);

    internal static TextBatch Batch(TextTokenizer tokenizer, IReadOnlyList<string> texts, int length)
    {
        var rows = texts.Select(t => tokenizer.Encode(t, length, out _)).ToArray();
        var width = rows.Max(static r => r.Length);
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (var b = 0; b < rows.Length; b++)
        {
            for (var s = 0; s < rows[b].Length; s++)
            {
                ids[(b * width) + s] = rows[b][s];
                mask[(b * width) + s] = 1;
            }
        }

        return new TextBatch(new Dictionary<string, TensorData>
        {
            ["input_ids"] = TensorData.Create(ids, rows.Length, width),
            ["attention_mask"] = TensorData.Create(mask, rows.Length, width),
            ["token_type_ids"] = TensorData.Create(new long[rows.Length * width], rows.Length, width),
        }, rows.Length);
    }

    /// <summary>One embedding per sentence (masked mean of last_hidden_state).</summary>
    internal static List<double[]> Embeddings(byte[] model, IEnumerable<TextBatch> batches)
    {
        using var session = InferenceSession.Create(model, "fidelity");
        var all = new List<double[]>();
        foreach (var batch in batches)
        {
            var pooled = SentenceEmbeddings.Pool(session.Run(batch.Feed)["last_hidden_state"], batch.Feed["attention_mask"], "last_hidden_state");
            var hidden = pooled.Length / batch.Rows;
            all.AddRange(pooled.Chunk(hidden));
        }

        return all;
    }
}
