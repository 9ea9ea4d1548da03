using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Inputs;

/// <summary>
/// PG2061: the random inputs of one run are sized before any is allocated, and refused above 2 GiB in
/// total. A declared input like float[1000000,1000000] (or --dim N=10^12) would otherwise end in an
/// OutOfMemoryException or an overflow instead of a message naming the input.
/// </summary>
public static class RandomInputBound
{
    /// <summary>Most bytes of random input data one run creates, over all its inputs (2 GiB).</summary>
    public const long MaxBytes = 2L << 30;

    /// <summary>Bytes counted per element of a string input (its reference; the strings are one or two characters).</summary>
    public const int StringElementBytes = 8;

    /// <summary>Throws PG2061 when the shapes (each input name with the shape random data would have) need more than <see cref="MaxBytes"/>.</summary>
    public static void Check(string model, IReadOnlyList<(NodeMetadata Input, long[] Shape)> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        double total = 0;
        var parts = new List<string>();
        foreach (var (input, shape) in inputs)
        {
            var bytes = Bytes(input.ElementType, shape);
            total += bytes;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"'{input.Name}' {TensorElementTypeInfo.Name(input.ElementType)}{Shapes.Text(shape)} = {Describe(bytes)}"));
        }

        if (total > MaxBytes)
        {
            throw new PipelineGateException(PgCode.RandomInputsTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"Random inputs for this model would take {Describe(total)} ({string.Join(", ", parts)}); one run creates at most {Describe(MaxBytes)} of random input data, so nothing was allocated."),
                model,
                hint: "Give the symbolic dimensions real, smaller sizes (--dim NAME=N, or 'dims: { NAME: N }' in pipelinegate.yml), or pass data (--input, or data: in pipelinegate.yml). A fixed dimension this large means the model's input declaration is wrong.");
        }
    }

    // In double: a product of int64 dims cannot overflow it (at worst it is infinite), and sizes up to 2^53 are exact.
    private static double Bytes(TensorElementType type, long[] shape)
    {
        var count = shape.Aggregate(1d, static (p, d) => p * Math.Max(d, 0));
        var perElement = type == TensorElementType.String ? StringElementBytes : TensorElementTypeInfo.SizeOf(type);
        return type is TensorElementType.Int4 or TensorElementType.UInt4 or TensorElementType.Float4E2M1
            ? Math.Ceiling(count / 2)
            : count * Math.Max(perElement, 1);
    }

    private static string Describe(double bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 40):0.###E+0} TiB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} bytes"),
    };
}
