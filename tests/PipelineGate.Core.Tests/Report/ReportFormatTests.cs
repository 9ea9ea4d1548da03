using PipelineGate.Report;
using Xunit;

namespace PipelineGate.Tests.Report;

public sealed class ReportFormatTests
{
    [Theory]
    [InlineData(0.0042, "4.20 µs")]
    [InlineData(0.05, "50.0 µs")]
    [InlineData(0.25, "0.250 ms")]
    [InlineData(12.414, "12.41 ms")]
    [InlineData(1234.5, "1234.5 ms")]
    public void Durations_switch_to_microseconds_below_a_tenth_of_a_millisecond(double ms, string expected)
    {
        using var _ = new CultureScope("de-DE");
        Assert.Equal(expected, ReportFormat.Duration(ms));
    }

    [Fact]
    public void Numbers_are_invariant_and_signed_with_a_real_minus()
    {
        using var _ = new CultureScope("de-DE");
        Assert.Equal("4,812,330 B", ReportFormat.Bytes(4_812_330));
        Assert.Equal("+12.2%", ReportFormat.SignedPercent(0.1219));
        Assert.Equal("−5.0%", ReportFormat.SignedPercent(-0.05));
        Assert.Equal("0.0%", ReportFormat.SignedPercent(-0.00001));
        Assert.Equal("−0.06 pp", ReportFormat.SignedPp(-0.0006));
        Assert.Equal("95% CI +10.8 … +13.5%", ReportFormat.PercentInterval(0.108, 0.135));
        Assert.Equal("+4,096 B", ReportFormat.SignedBytes(4096));
        Assert.Equal("0", ReportFormat.SignedBytes(0));
        Assert.Equal("p = 0.62", ReportFormat.PValue(0.6213));
        Assert.Equal("p = 0.004", ReportFormat.PValue(0.0042));
        Assert.Equal("p < 0.001", ReportFormat.PValue(1e-9));
    }

    [Theory]
    [InlineData("≤ +5% vs base", 5, "%")]
    [InlineData("drop ≤ 0.5 pp", 0.5, "pp")]
    [InlineData("≤ 6 MB", 6, "MB")]
    [InlineData("≤ 12 ms", 12, "ms")]
    [InlineData("≤ +0 vs base", 0, "")]
    public void Budget_limits_are_read_back_from_their_text(string text, double number, string unit)
    {
        Assert.Equal((number, unit), BudgetLimit.Parse(text));
    }
}
