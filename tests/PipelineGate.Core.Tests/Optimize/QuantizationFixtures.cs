using PipelineGate.TestAssets;
using PipelineGate.Gate.Config;
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

    /// <summary>
    /// A text line for the PP-OCR recognizer [1, 3, height, width]: real handwritten digits (the sample's
    /// 8×8 evaluation images, scaled up) as dark ink on a light, slightly noisy page, normalized as
    /// PaddleOCR does ((x − 0.5) / 0.5 for x in [0, 1]).
    /// </summary>
    public static TensorData TextLine(int height, int width, int seed)
    {
        var page = Page(height, width, seed, rows: 1);
        return TensorData.Create(page.Select(static v => (v - 0.5f) / 0.5f).ToArray(), 1, 3, height, width);
    }

    /// <summary>A page for the PP-OCR detector [1, 3, size, size] in [0, 1]: several lines of handwritten digits.</summary>
    public static TensorData Document(int size, int seed) => TensorData.Create(Page(size, size, seed, rows: size / 64), 1, 3, size, size);

    private static float[] Page(int height, int width, int seed, int rows)
    {
        var rng = new Random(seed);
        var glyphs = DigitsEval().ToFloatArray(); // [359, 64], pixel counts / 16 in [0, 1]
        var gray = new float[height * width];
        for (var i = 0; i < gray.Length; i++)
        {
            gray[i] = 0.85f + (0.1f * (float)rng.NextDouble());
        }

        var lineHeight = height / rows;
        var scale = Math.Max(2, (lineHeight * 3 / 4) / 8);
        for (var row = 0; row < rows; row++)
        {
            var top = (row * lineHeight) + ((lineHeight - (8 * scale)) / 2);
            var count = rows == 1 ? (width - 16) / (8 * scale) : 2 + rng.Next((width / (8 * scale)) - 3);
            var left = rows == 1 ? 8 : rng.Next(Math.Max(1, width - (count * 8 * scale)));
            for (var g = 0; g < count; g++)
            {
                var glyph = rng.Next(359);
                for (var y = 0; y < 8 * scale; y++)
                {
                    for (var x = 0; x < 8 * scale; x++)
                    {
                        var ink = glyphs[(glyph * 64) + ((y / scale) * 8) + (x / scale)];
                        var px = left + (g * 8 * scale) + x;
                        if (px < width && top + y < height)
                        {
                            gray[((top + y) * width) + px] *= 1 - (0.9f * ink);
                        }
                    }
                }
            }
        }

        var pixels = new float[3 * height * width];
        for (var c = 0; c < 3; c++)
        {
            gray.CopyTo(pixels, c * height * width);
        }

        return pixels;
    }

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

    /// <summary>Fraction of rows (all leading dimensions) whose argmax over the last dimension agrees.</summary>
    public static double Top1Agreement(TensorData candidate, TensorData reference)
    {
        var a = candidate.ToDoubleArray();
        var e = reference.ToDoubleArray();
        var width = (int)reference.Shape[^1];
        var rows = e.Length / width;
        var agree = 0;
        for (var r = 0; r < rows; r++)
        {
            agree += ArgMax(a.AsSpan(r * width, width)) == ArgMax(e.AsSpan(r * width, width)) ? 1 : 0;
        }

        return (double)agree / rows;
    }

    private static int ArgMax(ReadOnlySpan<double> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
        {
            best = row[i] > row[best] ? i : best;
        }

        return best;
    }
}
