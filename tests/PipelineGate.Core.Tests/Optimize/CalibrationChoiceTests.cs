using PipelineGate.Optimize.Quantization;
using Xunit;

namespace PipelineGate.Tests.Optimize;

/// <summary>method: auto's per-tensor choice and the uint16 tier's parameters, against hand-computed values.</summary>
public sealed class CalibrationChoiceTests
{
    [Fact]
    public void Estimated_error_is_rounding_inside_the_range_and_squared_clipping_beyond_it()
    {
        // 4 bins over [0, 4]: centres 0.5, 1.5, 2.5, 3.5 with one value each.
        var h = TensorHistogram.FromCounts([1, 1, 1, 1], 4);

        // Range [0, 4] in 256 levels: every value rounds, Δ = 4/255, error Δ²/12.
        var whole = CalibrationChoice.EstimatedError(h, 0, 4, 256);
        // Range [0, 2]: centres 2.5 and 3.5 clip by 0.5 and 1.5; the other two round with Δ = 2/255.
        var clipped = CalibrationChoice.EstimatedError(h, 0, 2, 256);

        Assert.Equal(Math.Pow(4.0 / 255, 2) / 12, whole, 12);
        Assert.Equal(((2 * Math.Pow(2.0 / 255, 2) / 12) + 0.25 + 2.25) / 4, clipped, 12);
    }

    [Fact]
    public void A_rare_far_outlier_makes_auto_clip_and_a_uniform_tensor_keeps_nearly_its_whole_range()
    {
        var outlier = new long[2048];
        outlier[0] = 10_000_000; // almost everything near 0 …
        outlier[2047] = 1;       // … and one value at the top
        var uniform = Enumerable.Repeat(1000L, 2048).ToArray();

        var (outlierRange, outlierMethod) = CalibrationChoice.Choose(TensorHistogram.FromCounts(outlier, 100));
        var (uniformRange, _) = CalibrationChoice.Choose(TensorHistogram.FromCounts(uniform, 100));

        Assert.NotEqual(CalibrationMethod.MinMax, outlierMethod);
        Assert.True(outlierRange.Max <= 6.25f, $"max {outlierRange.Max}"); // entropy keeps at least 128 of 2048 bins: 6.25 of 100
        Assert.True(uniformRange.Max >= 99.9f, $"uniform max {uniformRange.Max}"); // clipping a uniform tensor costs more than it saves
    }

    [Theory]
    [InlineData(0f, 6.5535f, 0.0001f, 0)]
    [InlineData(-1f, 1f, 2f / 65535, 32768)]
    [InlineData(2f, 3f, 3f / 65535, 0)] // widened to include 0
    [InlineData(0f, 0f, 1f, 0)]
    public void Uint16_parameters_spread_the_range_over_65536_levels_with_an_exact_zero(float min, float max, float scale, int zero)
    {
        var (s, z) = QuantizationMath.UInt16Parameters(min, max);

        Assert.Equal(scale, s, 1e-7f);
        Assert.Equal(zero, z);
    }
}
