using System.Globalization;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The dynamic int8 weight type on all-MiniLM-L6-v2 on this CPU: uint8 weights (the default, chosen on an AVX2 CPU
/// without VNNI, where ORT's u8·s8 kernel saturates int16 pair sums) against int8 weights (u8·s8, which VNNI's
/// vpdpbusd accumulates in int32 without that saturation). Each int8 model against fp32 and the two against each other,
/// A/B interleaved in one process, rounds repeated; fidelity of both against fp32 on 200 real sentences.
/// Usage: weight-type [rounds=3] [seconds=3].
/// </summary>
internal static class WeightTypeEncoder
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        Console.WriteLine($"runner: {PipelineGate.Measure.Environment.RunnerFingerprint.Capture(SessionConfig.Default).Describe()}");
        var plain = ModelFile.Load(RealEncoder.MiniLmModel);
        var u8 = MiniLmBench.QuantizeDynamic(plain, ("weight-type", "uint8"));
        var s8 = MiniLmBench.QuantizeDynamic(plain, ("weight-type", "int8"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sizes: fp32 {new FileInfo(RealEncoder.MiniLmModel).Length:N0} B, uint8 weights {u8.Length:N0} B, int8 weights {s8.Length:N0} B"));

        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        using var fp32 = InferenceSession.Create(plain.ToByteArray(), "fp32");
        using var u8Session = InferenceSession.Create(u8, "int8-u8");
        using var s8Session = InferenceSession.Create(s8, "int8-s8");
        MiniLmBench.Fidelity("uint8 weights", fp32, u8Session, tokenizer);
        MiniLmBench.Fidelity("int8 weights", fp32, s8Session, tokenizer);

        foreach (var cookie in new[] { 50, 0 })
        {
            var ids = tokenizer.Encode(RealText.Cookies[cookie], 128, out _);
            var input = MiniLmBench.Inputs(ids);
            using var runFp32 = fp32.Prepare(input);
            using var runU8 = u8Session.Prepare(input);
            using var runS8 = s8Session.Prepare(input);
            Console.WriteLine($"cookie {cookie} ({ids.Length} tokens), 1 thread:");
            Console.WriteLine($"  fp32 (A) vs uint8 weights (B) | B/A {LatencyRounds.Run(runFp32, runU8, options, rounds).Summary()}");
            Console.WriteLine($"  fp32 (A) vs int8 weights (B)  | B/A {LatencyRounds.Run(runFp32, runS8, options, rounds).Summary()}");
            Console.WriteLine($"  uint8 (A) vs int8 weights (B) | B/A {LatencyRounds.Run(runU8, runS8, options, rounds).Summary()}");
        }

        return 0;
    }
}
