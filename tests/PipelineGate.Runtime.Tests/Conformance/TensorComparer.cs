using System.Globalization;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime.Tests.Conformance;

/// <summary>
/// Compares an output with its expected value the way ONNX's backend test runner does:
/// |actual − expected| ≤ atol + rtol·|expected| for floating types (rtol 1e-3, atol 1e-7), NaN equal to NaN,
/// exact for integers, bools and strings.
/// </summary>
public static class TensorComparer
{
    public const double RelativeTolerance = 1e-3;
    public const double AbsoluteTolerance = 1e-7;

    /// <summary>Null when equal within tolerance, else what differs.</summary>
    public static string? Difference(TensorData expected, TensorData actual)
    {
        if (expected.ElementType != actual.ElementType)
        {
            return $"type {TensorElementTypeInfo.Name(actual.ElementType)}, expected {TensorElementTypeInfo.Name(expected.ElementType)}";
        }

        if (!expected.Shape.SequenceEqual(actual.Shape))
        {
            return $"shape [{string.Join(",", actual.Shape)}], expected [{string.Join(",", expected.Shape)}]";
        }

        if (expected.ElementType == TensorElementType.String)
        {
            var i = Enumerable.Range(0, expected.Strings!.Length).FirstOrDefault(k => expected.Strings[k] != actual.Strings![k], -1);
            return i < 0 ? null : $"string [{i}] '{actual.Strings![i]}', expected '{expected.Strings[i]}'";
        }

        if (!TensorElementTypeInfo.IsFloatingPoint(expected.ElementType) && expected.ElementType is not (TensorElementType.Complex64 or TensorElementType.Complex128))
        {
            if (expected.Bytes.AsSpan().SequenceEqual(actual.Bytes))
            {
                return null;
            }

            if (TensorElementTypeInfo.SizeOf(expected.ElementType) == 0)
            {
                return "packed values differ";
            }

            var e = expected.ToDoubleArray();
            var a = actual.ToDoubleArray();
            var k = Enumerable.Range(0, e.Length).First(j => e[j] != a[j]);
            return $"[{k}] = {a[k].ToString(CultureInfo.InvariantCulture)}, expected {e[k].ToString(CultureInfo.InvariantCulture)}";
        }

        double[] ex, ac;
        if (expected.ElementType is TensorElementType.Complex64 or TensorElementType.Complex128)
        {
            ex = ComplexParts(expected);
            ac = ComplexParts(actual);
        }
        else if (expected.ElementType is TensorElementType.Float or TensorElementType.Double or TensorElementType.Float16 or TensorElementType.BFloat16)
        {
            ex = expected.ToDoubleArray();
            ac = actual.ToDoubleArray();
        }
        else
        {
            // float8 types: compare bits (no widening defined here).
            return expected.Bytes.AsSpan().SequenceEqual(actual.Bytes) ? null : "float8 bits differ";
        }

        var worst = -1;
        var worstExcess = 0.0;
        for (var j = 0; j < ex.Length; j++)
        {
            if (double.IsNaN(ex[j]) && double.IsNaN(ac[j]))
            {
                continue;
            }

            if (double.IsInfinity(ex[j]) && ex[j] == ac[j])
            {
                continue;
            }

            var excess = Math.Abs(ac[j] - ex[j]) - (AbsoluteTolerance + (RelativeTolerance * Math.Abs(ex[j])));
            if (excess > worstExcess || double.IsNaN(excess))
            {
                worstExcess = double.IsNaN(excess) ? double.PositiveInfinity : excess;
                worst = j;
            }
        }

        return worst < 0 ? null : $"[{worst}] = {ac[worst].ToString("G9", CultureInfo.InvariantCulture)}, expected {ex[worst].ToString("G9", CultureInfo.InvariantCulture)}";
    }

    private static double[] ComplexParts(TensorData t) => t.ElementType == TensorElementType.Complex64
        ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.Bytes).ToArray().Select(static f => (double)f).ToArray()
        : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(t.Bytes).ToArray();
}
