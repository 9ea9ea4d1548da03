using PipelineGate.Optimize.Quantization;
using Xunit;

namespace PipelineGate.Tests.Optimize;

/// <summary>The quantization formulas against values computed by hand.</summary>
public sealed class QuantizationMathTests
{
    [Fact]
    public void Symmetric_scale_is_max_abs_over_127()
    {
        Assert.Equal(2f / 127, QuantizationMath.SymmetricScale([1f, -2f, 0.5f]));
        Assert.Equal(1f, QuantizationMath.SymmetricScale([0f, 0f]));
    }

    [Theory]
    [InlineData(1f, 2f / 127, 64)]    // 63.5 rounds half to even: 64
    [InlineData(-2f, 2f / 127, -127)]
    [InlineData(0.5f, 2f / 127, 32)]  // 31.75 → 32
    [InlineData(5f, 2f / 127, 127)]   // clamped
    [InlineData(-5f, 2f / 127, -127)] // clamped symmetric: −128 is never used
    public void Symmetric_quantization_rounds_half_to_even_and_clamps(float value, float scale, int expected) =>
        Assert.Equal(expected, QuantizationMath.QuantizeSymmetric(value, scale));

    [Fact]
    public void Asymmetric_uint8_range_includes_zero_and_zero_is_exact()
    {
        var (scale, zero) = QuantizationMath.AsymmetricUInt8(-1f, 3f);
        Assert.Equal(4f / 255, scale, 7);
        Assert.Equal(64, zero); // round(1 / (4/255)) = round(63.75)
        Assert.Equal(0f, QuantizationMath.Dequantize(QuantizationMath.QuantizeUInt8(0f, scale, zero), scale, zero));

        var (positiveScale, positiveZero) = QuantizationMath.AsymmetricUInt8(2f, 5f);
        Assert.Equal(0, positiveZero); // range widened to [0, 5]
        Assert.Equal(5f / 255, positiveScale, 7);
    }

    [Theory]
    [InlineData(-1f, 3f, false, false, 4f / 255, 64)]    // uint8 asymmetric: round(1 / (4/255)) = round(63.75)
    [InlineData(-1f, 3f, true, false, 4f / 255, -64)]    // int8 asymmetric: round(−128 + 63.75) = round(−64.25)
    [InlineData(-1f, 3f, true, true, 3f / 127, 0)]       // int8 symmetric: max(|−1|, 3) / 127
    [InlineData(-1f, 3f, false, true, 3f / 127, 128)]    // uint8 symmetric: zero point at the centre
    [InlineData(0f, 2f, true, false, 2f / 255, -128)]    // after ReLU: the whole int8 range for [0, 2]
    [InlineData(0f, 0f, true, false, 1f, 0)]             // empty range: any scale represents it
    public void Activation_parameters_match_hand_computation(float min, float max, bool signed, bool symmetric, float scale, int zero)
    {
        var (s, z) = QuantizationMath.ActivationParameters(min, max, signed, symmetric);

        Assert.Equal(scale, s, 7);
        Assert.Equal(zero, z);
    }

    [Fact]
    public void Per_channel_weights_get_one_scale_per_column()
    {
        // [K=2, N=2] row-major: column 0 = {1, -0.5}, column 1 = {0.25, 2}
        var (q, scales) = QuantizationMath.QuantizeWeights([1f, 0.25f, -0.5f, 2f], 2, 2, perChannel: true);

        Assert.Equal([1f / 127, 2f / 127], scales);
        Assert.Equal(new sbyte[] { 127, 16, -64, 127 }, q); // 0.25/(2/127) = 15.875 → 16; −0.5/(1/127) = −63.5 → −64 (half to even)
    }

    [Fact]
    public void Per_tensor_weights_share_one_scale()
    {
        var (q, scales) = QuantizationMath.QuantizeWeights([1f, 0.25f, -0.5f, 2f], 2, 2, perChannel: false);

        Assert.Equal([2f / 127], scales);
        Assert.Equal(new sbyte[] { 64, 16, -32, 127 }, q);
    }
}
