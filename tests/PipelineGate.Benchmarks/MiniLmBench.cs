using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>What the MiniLM benchmarks share: one sentence as the encoder's three inputs, the gate's dynamic quantize step, and fidelity to fp32 on real sentences.</summary>
internal static class MiniLmBench
{
    /// <summary>Token ids as the encoder's batch-1 inputs: input_ids, an all-ones attention mask, zero token types.</summary>
    public static Dictionary<string, TensorData> Inputs(int[] ids)
    {
        var n = ids.Length;
        return new Dictionary<string, TensorData>
        {
            ["input_ids"] = TensorData.Create(ids.Select(static i => (long)i).ToArray(), 1, n),
            ["attention_mask"] = TensorData.Create(Enumerable.Repeat(1L, n).ToArray(), 1, n),
            ["token_type_ids"] = TensorData.Create(new long[n], 1, n),
        };
    }

    /// <summary>The gate's dynamic quantize step with the given extra options (e.g. weight-type), as a model's bytes.</summary>
    public static byte[] QuantizeDynamic(ModelFile model, params (string Key, string Value)[] options)
    {
        var all = new Dictionary<string, string> { ["mode"] = "dynamic" };
        foreach (var (key, value) in options)
        {
            all[key] = value;
        }

        var step = new RecipeStep("quantize", all, new SourceLocation("benchmark", 1, 1));
        return new QuantizeStep().Apply(model, step, new OptimizationContext(RepoPaths.Root, null)).Model.ToByteArray();
    }

    /// <summary>Prints the mean and min cosine of the candidate's mean-pooled embeddings vs the reference's over the first 200 cookies.</summary>
    public static void Fidelity(string name, InferenceSession reference, InferenceSession candidate, TextTokenizer tokenizer)
    {
        var cosines = new List<double>();
        foreach (var text in RealText.Cookies.Take(200))
        {
            var inputs = Inputs(tokenizer.Encode(text, 128, out _));
            var output = reference.Outputs[0].Name;
            var a = SentenceEmbeddings.Pool(reference.Run(inputs)[output], inputs["attention_mask"], output);
            var b = SentenceEmbeddings.Pool(candidate.Run(inputs)[output], inputs["attention_mask"], output);
            cosines.Add(EmbeddingCosine.Of(a, b));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: cosine vs fp32 over 200 cookies mean {cosines.Average():0.00000} min {cosines.Min():0.00000}"));
    }
}
