using PipelineGate.Measure.Statistics;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

public sealed class PValueTextTests
{
    [Theory]
    [InlineData(0.0, "p < 0.001")]          // an exact sign test over 1000 pairs underflows to 0: never "p = 0"
    [InlineData(1e-300, "p < 0.001")]
    [InlineData(0.00099, "p < 0.001")]
    [InlineData(0.001, "p = 0.001")]
    [InlineData(0.0042, "p = 0.004")]
    [InlineData(0.0871, "p = 0.09")]
    [InlineData(0.6213, "p = 0.62")]
    [InlineData(1.0, "p = 1.00")]
    [InlineData(1.0000000002, "p = 1.00")]  // a sum of binomial terms can round just above 1
    [InlineData(double.NaN, "p = n/a")]
    public void Tiny_p_values_are_a_bound_and_the_rest_keep_two_or_three_decimals(double p, string expected)
    {
        Assert.Equal(expected, PValueText.Format(p));
    }

    [Fact]
    public void The_symbol_can_be_named_and_the_text_is_the_same_in_every_culture()
    {
        using var _ = new CultureScope("de-DE");
        Assert.Equal("p(slower) < 0.001", PValueText.Format(0, "p(slower)"));
        Assert.Equal("p = 0.004", PValueText.Format(0.0042));
    }
}
