using System.Globalization;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Issue 13's question "does fusing before quantizing pay?", measured on all-MiniLM-L6-v2: the graph ONNX Runtime's
/// own optimizer writes at level Extended (its BERT fusions: BiasGelu, FusedMatMul, LayerNormalization where it
/// matches; no Attention forms on this export) is quantized by the same dynamic-int8 recipe as the plain export, and
/// the two int8 models are timed A/B interleaved in one process, rounds repeated; the same for the float pair, and
/// the fidelity of both int8 models against fp32 on real sentences. Usage: prefuse [rounds=3] [seconds=3].
/// </summary>
internal static class PrefuseEncoder
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        var dir = Directory.CreateTempSubdirectory("pg-prefuse-").FullName;
        try
        {
            var plainPath = RealEncoder.MiniLmModel;
            var fusedPath = Path.Combine(dir, "fused.onnx");
            using (InferenceSession.Create(plainPath, SessionConfig.Default with { Optimization = GraphOptimization.Extended, OptimizedModelPath = fusedPath }))
            {
            }

            var plain = ModelFile.Load(plainPath);
            var fused = ModelFile.Load(fusedPath);
            Console.WriteLine($"ORT Extended graph: {plain.Model.Graph.Node.Count} → {fused.Model.Graph.Node.Count} nodes; " +
                string.Join(", ", fused.Model.Graph.Node.GroupBy(static n => (string.IsNullOrEmpty(n.Domain) ? "" : n.Domain + ":") + n.OpType)
                    .Where(static g => g.Key.Contains(':', StringComparison.Ordinal) || g.Key.StartsWith("LayerNorm", StringComparison.Ordinal))
                    .Select(static g => $"{g.Key} {g.Count()}")));

            var plainInt8 = MiniLmBench.QuantizeDynamic(plain);
            var fusedInt8 = MiniLmBench.QuantizeDynamic(fused);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"int8 sizes: plain-then-quantize {plainInt8.Length:N0} B, fuse-then-quantize {fusedInt8.Length:N0} B (fp32 {new FileInfo(plainPath).Length:N0} B)"));

            var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
            var sentence = MiniLmBench.Inputs(tokenizer.Encode(RealText.Cookies[50], 128, out _));
            using var fp32 = InferenceSession.Create(plain.ToByteArray(), "fp32");
            using var fp32Fused = InferenceSession.Create(fused.ToByteArray(), "fp32-fused");
            using var int8 = InferenceSession.Create(plainInt8, "int8");
            using var int8Fused = InferenceSession.Create(fusedInt8, "int8-fused");

            MiniLmBench.Fidelity("plain-then-quantize", fp32, int8, tokenizer);
            MiniLmBench.Fidelity("fuse-then-quantize", fp32, int8Fused, tokenizer);
            Compare("fp32: plain (A) vs ORT-fused file (B)", fp32, fp32Fused, sentence, rounds, options);
            Compare("int8: plain-then-quantize (A) vs fuse-then-quantize (B)", int8, int8Fused, sentence, rounds, options);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Compare(string name, InferenceSession a, InferenceSession b, Dictionary<string, TensorData> input, int rounds, LatencyOptions options)
    {
        using var runA = a.Prepare(input);
        using var runB = b.Prepare(input);
        Console.WriteLine($"{name} | B/A {LatencyRounds.Run(runA, runB, options, rounds).Summary()}");
    }
}
