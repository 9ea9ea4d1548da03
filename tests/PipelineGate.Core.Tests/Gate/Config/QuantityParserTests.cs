using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

public sealed class QuantityParserTests
{
    [Theory]
    [InlineData("2000 ns", UnitDimension.Time, 0.002)]
    [InlineData("500us", UnitDimension.Time, 0.5)]
    [InlineData("500 µs", UnitDimension.Time, 0.5)]
    [InlineData("500 μs", UnitDimension.Time, 0.5)]
    [InlineData("12 ms", UnitDimension.Time, 12)]
    [InlineData("12ms", UnitDimension.Time, 12)]
    [InlineData("1.5 s", UnitDimension.Time, 1500)]
    [InlineData("10s", UnitDimension.Time, 10000)]
    [InlineData("0", UnitDimension.Time, 0)]
    [InlineData("12 MS", UnitDimension.Time, 12)]
    [InlineData("512 B", UnitDimension.Bytes, 512)]
    [InlineData("100 KB", UnitDimension.Bytes, 100_000)]
    [InlineData("6 MB", UnitDimension.Bytes, 6_000_000)]
    [InlineData("2 GB", UnitDimension.Bytes, 2_000_000_000)]
    [InlineData("1 KiB", UnitDimension.Bytes, 1024)]
    [InlineData("6 MiB", UnitDimension.Bytes, 6_291_456)]
    [InlineData("1 GiB", UnitDimension.Bytes, 1_073_741_824)]
    [InlineData("100 kb", UnitDimension.Bytes, 100_000)]
    [InlineData("6570", UnitDimension.Count, 6570)]
    [InlineData("1.5k", UnitDimension.Count, 1500)]
    [InlineData("2 M", UnitDimension.Count, 2_000_000)]
    [InlineData("1G", UnitDimension.Count, 1_000_000_000)]
    [InlineData("1e3", UnitDimension.Count, 1000)]
    [InlineData("200/s", UnitDimension.Rate, 200)]
    [InlineData("200 /s", UnitDimension.Rate, 200)]
    [InlineData("0.97", UnitDimension.Ratio, 0.97)]
    [InlineData("97%", UnitDimension.Ratio, 0.97)]
    [InlineData("97 %", UnitDimension.Ratio, 0.97)]
    [InlineData(".5", UnitDimension.Ratio, 0.5)]
    [InlineData("0.5 pp", UnitDimension.PercentagePoints, 0.005)]
    [InlineData("1pp", UnitDimension.PercentagePoints, 0.01)]
    [InlineData("5%", UnitDimension.Relative, 0.05)]
    [InlineData("0", UnitDimension.Relative, 0)]
    [InlineData("150%", UnitDimension.Relative, 1.5)]
    public void Converts_to_the_base_unit(string text, UnitDimension dimension, double expected)
    {
        Assert.True(QuantityParser.TryParse(text, [dimension], "x", out var q, out var error), error?.Message);
        Assert.Equal(expected, q.Value, 1e-9);
        Assert.Equal(dimension, q.Dimension);
        Assert.Equal(text, q.Text);
        Assert.Equal(text, q.ToString());
    }

    [Theory]
    [InlineData("5%", UnitDimension.Relative)]
    [InlineData("1 KB", UnitDimension.Bytes)]
    [InlineData("0", UnitDimension.Relative)]
    public void The_first_allowed_dimension_decides_ambiguous_values(string text, UnitDimension expected)
    {
        Assert.True(QuantityParser.TryParse(text, [UnitDimension.Relative, UnitDimension.Bytes], "x", out var q, out _));
        Assert.Equal(expected, q.Dimension);
    }

    [Fact]
    public void A_plain_number_is_read_in_a_dimension_that_allows_one()
    {
        Assert.True(QuantityParser.TryParse("12", [UnitDimension.Relative, UnitDimension.Count], "x", out var q, out _));
        Assert.Equal((UnitDimension.Count, 12.0), (q.Dimension, q.Value));
    }

    [Theory]
    [InlineData("1,5 ms")]
    [InlineData("1.000,5 ms")]
    [InlineData("12 m s")]
    [InlineData("ms")]
    [InlineData("")]
    [InlineData("twelve ms")]
    [InlineData("-3 ms")]
    [InlineData("NaN")]
    [InlineData("١٢ ms")]
    public void Malformed_numbers_are_invalid_values(string text)
    {
        Assert.False(QuantityParser.TryParse(text, [UnitDimension.Time], "'max'", out _, out var error));
        Assert.Equal(PgCode.ConfigInvalidValue, error.Code);
    }

    [Theory]
    [InlineData("12 MB", "is a size, but it must be a time")]
    [InlineData("5", "has no unit; it must be a time")]
    [InlineData("12 parsecs", "unknown unit 'parsecs'")]
    [InlineData("12 mss", "Did you mean 'ms'?")]
    public void Units_that_do_not_fit_say_which_do(string text, string expected)
    {
        Assert.False(QuantityParser.TryParse(text, [UnitDimension.Time], "'max' of latency.p90", out _, out var error));
        Assert.Equal(PgCode.ConfigInvalidUnit, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("ns, us, µs, ms or s", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_ignores_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.True(QuantityParser.TryParse("1.5 ms", [UnitDimension.Time], "x", out var q, out _));
            Assert.Equal(1.5, q.Value);
            Assert.False(QuantityParser.TryParse("1,5 ms", [UnitDimension.Time], "x", out _, out _));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
