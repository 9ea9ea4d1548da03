using PipelineGate.TestAssets;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.Tests.Gate.Config;

namespace PipelineGate.Tests.Optimize;

/// <summary>Shared inputs and comparisons for the fp16 and int4 recipe tests.</summary>
internal static class QuantizationFixtures
{
    public static ModelFile Digits() => ModelFile.Load(RepoPaths.Of("samples/digits/digits_mlp.onnx"));

    public static TensorData DigitsEval() => NpyFile.Read(RepoPaths.Of("samples/digits/eval/pixels.npy"));

    public static OptimizationOutput Quantize(ModelFile model, params (string Key, string Value)[] options) =>
        new QuantizeStep().Apply(model, new RecipeStep("quantize", options.ToDictionary(static o => o.Key, static o => o.Value), new SourceLocation("test", 1, 1)), new OptimizationContext(".", null));

    /// <summary>A float32 initializer of the given shape, stored as raw data.</summary>
    public static Onnx.Proto.TensorProto FloatInitializer(string name, float[] values, params long[] dims) =>
        DynamicQuantizer.Tensor(name, TensorElementType.Float, dims, TensorData.Create(values, dims).Bytes.ToArray());

    /// <summary>Runs a model (serialized from memory) on one feed.</summary>
    public static IReadOnlyDictionary<string, TensorData> Run(ModelFile model, IReadOnlyDictionary<string, TensorData> feed, string name)
    {
        using var session = InferenceSession.Create(model.ToByteArray(), name);
        return session.Run(feed);
    }

    /// <inheritdoc cref="SyntheticText.TextLine"/>
    public static TensorData TextLine(int height, int width, int seed) => SyntheticText.TextLine(height, width, seed);

    /// <inheritdoc cref="SyntheticText.Document"/>
    public static TensorData Document(int size, int seed) => SyntheticText.Document(size, seed);

    public static (long NaN, long Inf) NonFinite(TensorData t)
    {
        long nan = 0, inf = 0;
        foreach (var v in t.ToDoubleArray())
        {
            nan += double.IsNaN(v) ? 1 : 0;
            inf += double.IsInfinity(v) ? 1 : 0;
        }

        return (nan, inf);
    }

    public static double RelativeL2(TensorData candidate, TensorData reference)
    {
        var a = candidate.ToDoubleArray();
        var e = reference.ToDoubleArray();
        return Math.Sqrt(a.Zip(e, static (x, y) => (x - y) * (x - y)).Sum()) / Math.Sqrt(e.Sum(static y => y * y));
    }

    /// <summary>
    /// Fraction of rows (all leading dimensions, e.g. every timestep of a [batch, time, classes] output) whose argmax
    /// over the last dimension agrees: <see cref="FidelityMetrics"/>' top-1 agreement with the last dimension as the row.
    /// </summary>
    public static double Top1Agreement(TensorData candidate, TensorData reference) =>
        FidelityMetrics.Compute(candidate.ToDoubleArray(), reference.ToDoubleArray(), (int)reference.Shape[^1]).Top1Agreement
        ?? throw new ArgumentException("Top-1 agreement needs at least two values in the last dimension.", nameof(reference));
}
