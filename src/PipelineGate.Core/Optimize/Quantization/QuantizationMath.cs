namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// The quantization formulas, in one place so that tests can check them against hand-computed values.
/// Symmetric int8: scale = max|w| / 127, q = clamp(round_half_even(w / scale), −127, 127), zero point 0
/// (−128 is not used, so that negation stays representable and the range is symmetric, as ORT's kernels expect).
/// Asymmetric uint8: scale = (max − min) / 255 over a range that includes 0, zero point = round(−min / scale).
/// </summary>
public static class QuantizationMath
{
    public const int Int8Max = 127;

    /// <summary>Symmetric int8 scale of a set of values; a range of all zeros gets scale 1 (any scale represents it).</summary>
    public static float SymmetricScale(ReadOnlySpan<float> values)
    {
        var max = 0f;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max == 0 ? 1f : max / Int8Max;
    }

    public static sbyte QuantizeSymmetric(float value, float scale) =>
        (sbyte)Math.Clamp(Math.Round(value / scale, MidpointRounding.ToEven), -Int8Max, Int8Max);

    /// <summary>Asymmetric uint8 parameters for a range; the range is widened to include 0 so that 0 is exact.</summary>
    public static (float Scale, byte ZeroPoint) AsymmetricUInt8(float min, float max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max == min)
        {
            return (1f, 0);
        }

        var scale = (max - min) / 255f;
        var zero = (byte)Math.Clamp(Math.Round(-min / scale, MidpointRounding.ToEven), 0, 255);
        return (scale, zero);
    }

    /// <summary>
    /// Parameters of an activation's QuantizeLinear. Asymmetric: the range [min(0, min), max(0, max)] maps
    /// onto all 256 levels with an exact zero (zero point qmin − min/scale, rounded; qmin = 0 for uint8,
    /// −128 for int8). Symmetric: scale = max(|min|, |max|) / 127 and the zero point sits at the type's
    /// centre (128 for uint8, 0 for int8), wasting half the levels on a one-sided range (e.g. after ReLU)
    /// but matching kernels that want symmetric activations.
    /// </summary>
    public static (float Scale, int ZeroPoint) ActivationParameters(float min, float max, bool signed, bool symmetric)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (symmetric)
        {
            var m = Math.Max(-min, max);
            return (m == 0 ? 1f : m / Int8Max, signed ? 0 : 128);
        }

        if (!signed)
        {
            var (scale, zero) = AsymmetricUInt8(min, max);
            return (scale, zero);
        }

        if (max == min)
        {
            return (1f, 0);
        }

        var s = (max - min) / 255f;
        return (s, (int)Math.Clamp(Math.Round(-128 - (min / s), MidpointRounding.ToEven), -128, 127));
    }

    /// <summary>
    /// uint16 asymmetric activation parameters (the 16-bit fallback tier): the range, widened to include 0,
    /// spread over 65,536 levels; zero point = round(−min / scale), so 0 is exact.
    /// </summary>
    public static (float Scale, ushort ZeroPoint) UInt16Parameters(float min, float max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max == min)
        {
            return (1f, 0);
        }

        var scale = (max - min) / (float)ushort.MaxValue;
        return (scale, (ushort)Math.Clamp(Math.Round(-min / scale, MidpointRounding.ToEven), 0, ushort.MaxValue));
    }

    public static byte QuantizeUInt8(float value, float scale, byte zeroPoint) =>
        (byte)Math.Clamp(Math.Round(value / scale, MidpointRounding.ToEven) + zeroPoint, 0, 255);

    public static float Dequantize(int q, float scale, int zeroPoint) => (q - zeroPoint) * scale;

    /// <summary>
    /// Quantizes a row-major [K, N] weight matrix to uint8, asymmetric, per column (output channel) or per
    /// tensor: per group, the range [min(0, w), max(0, w)] maps onto 0..255 with an exact zero.
    /// </summary>
    public static (byte[] Values, float[] Scales, byte[] ZeroPoints) QuantizeWeightsUInt8(ReadOnlySpan<float> weights, int rows, int columns, bool perChannel)
    {
        var q = new byte[weights.Length];
        var groups = perChannel ? columns : 1;
        var scales = new float[groups];
        var zeros = new byte[groups];
        var min = new float[groups];
        var max = new float[groups];

        // One pass for every group's range (row-major: element i belongs to column i % columns).
        for (var i = 0; i < weights.Length; i++)
        {
            var g = perChannel ? i % columns : 0;
            min[g] = Math.Min(min[g], weights[i]);
            max[g] = Math.Max(max[g], weights[i]);
        }

        for (var g = 0; g < groups; g++)
        {
            (scales[g], zeros[g]) = AsymmetricUInt8(min[g], max[g]);
        }

        for (var i = 0; i < weights.Length; i++)
        {
            var g = perChannel ? i % columns : 0;
            q[i] = QuantizeUInt8(weights[i], scales[g], zeros[g]);
        }

        return (q, scales, zeros);
    }

    /// <summary>
    /// Quantizes a row-major [K, N] weight matrix symmetrically, per column (output channel) or per tensor.
    /// Returns the int8 values (same layout) and one scale per column, or a single scale.
    /// </summary>
    /// <param name="weights">Row-major [rows, columns] values.</param>
    /// <param name="rows">K.</param>
    /// <param name="columns">N (output channels).</param>
    /// <param name="perChannel">One scale per column, else one for the tensor.</param>
    /// <param name="maxLevel">127 for full-range int8; 63 for reduce-range (7-bit) weights.</param>
    public static (sbyte[] Values, float[] Scales) QuantizeWeights(ReadOnlySpan<float> weights, int rows, int columns, bool perChannel, int maxLevel = Int8Max)
    {
        var q = new sbyte[weights.Length];
        float[] scales;
        if (perChannel)
        {
            scales = new float[columns];
            var column = new float[rows];
            for (var n = 0; n < columns; n++)
            {
                for (var k = 0; k < rows; k++)
                {
                    column[k] = weights[(k * columns) + n];
                }

                scales[n] = SymmetricScale(column) * Int8Max / maxLevel;
            }

            for (var k = 0; k < rows; k++)
            {
                for (var n = 0; n < columns; n++)
                {
                    q[(k * columns) + n] = QuantizeSymmetric(weights[(k * columns) + n], scales[n]);
                }
            }
        }
        else
        {
            scales = [SymmetricScale(weights) * Int8Max / maxLevel];
            for (var i = 0; i < weights.Length; i++)
            {
                q[i] = QuantizeSymmetric(weights[i], scales[0]);
            }
        }

        return (q, scales);
    }
}
