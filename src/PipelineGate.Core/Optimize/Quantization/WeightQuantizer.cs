namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Symmetric int8 quantization of a weight tensor of any rank, per tensor or per channel along one
/// axis (0 for a Conv weight [M, C/g, kH, kW], 1 for a MatMul weight [K, N]); the formulas are
/// <see cref="QuantizationMath"/>'s.
/// </summary>
internal static class WeightQuantizer
{
    /// <summary>Returns the int8 values (same layout) and one scale per channel of <paramref name="axis"/>, or one scale when <paramref name="axis"/> is null.</summary>
    public static (sbyte[] Values, float[] Scales) Quantize(ReadOnlySpan<float> weights, IReadOnlyList<long> dims, int? axis)
    {
        var q = new sbyte[weights.Length];
        if (axis is not { } a)
        {
            var scale = QuantizationMath.SymmetricScale(weights);
            for (var i = 0; i < weights.Length; i++)
            {
                q[i] = QuantizationMath.QuantizeSymmetric(weights[i], scale);
            }

            return (q, [scale]);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, dims.Count);
        var channels = (int)dims[a];
        var inner = 1;
        for (var d = a + 1; d < dims.Count; d++)
        {
            inner *= (int)dims[d];
        }

        var outer = channels == 0 || inner == 0 ? 0 : weights.Length / (channels * inner);
        var maxAbs = new float[channels];
        for (var o = 0; o < outer; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                var block = weights.Slice(((o * channels) + c) * inner, inner);
                foreach (var v in block)
                {
                    maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(v));
                }
            }
        }

        var scales = maxAbs.Select(static m => m == 0 ? 1f : m / QuantizationMath.Int8Max).ToArray();
        for (var o = 0; o < outer; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                var start = ((o * channels) + c) * inner;
                for (var i = start; i < start + inner; i++)
                {
                    q[i] = QuantizationMath.QuantizeSymmetric(weights[i], scales[c]);
                }
            }
        }

        return (q, scales);
    }
}
