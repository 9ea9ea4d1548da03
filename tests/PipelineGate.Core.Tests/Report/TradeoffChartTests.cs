using System.Text.RegularExpressions;
using PipelineGate.Gate.Results;
using PipelineGate.Report;
using Xunit;

namespace PipelineGate.Tests.Report;

public sealed class TradeoffChartTests
{
    private static ModelResult Model => GateResultFixture.Result.Models[0];

    [Fact]
    public void Points_take_the_p50_with_its_interval_the_accuracy_size_and_macs_of_each_measured_variant()
    {
        var (target, quality, points) = SvgTradeoffChart.Points(Model)!.Value;

        Assert.Equal("cpu", target);
        Assert.Equal("top1", quality);
        Assert.Equal(["original", "int8"], points.Select(static p => p.Variant));
        var original = Model.Variants[0];
        var p0 = points[0];
        Assert.Equal(original.Targets[0].Latency!.Summary.Median.Value, p0.LatencyMs);
        Assert.Equal(original.Targets[0].Latency!.Summary.Median.Interval!.Value.Lower, p0.LatencyLower);
        Assert.Equal(0.9731, p0.Quality);
        Assert.Equal(original.Size.TotalBytes, p0.Bytes);
        Assert.Equal(original.Size.Macs, p0.Macs);
        // int8 is faster and slightly less accurate: neither dominates, both are on the frontier.
        Assert.All(points, static p => Assert.True(p.OnFrontier, p.Variant));
    }

    [Fact]
    public void A_variant_slower_and_less_accurate_than_another_is_off_the_frontier()
    {
        var points = new[]
        {
            Point("original", 10, 0.97),
            Point("int8", 6, 0.96),
            Point("fp16", 11, 0.965), // slower than the original and worse: dominated
            Point("int4", 6, 0.95),   // as fast as int8 and worse: dominated
        };

        var marked = SvgTradeoffChart.MarkFrontier(points);

        Assert.Equal([true, true, false, false], marked.Select(static p => p.OnFrontier));
    }

    [Fact]
    public void Without_quality_the_fastest_variant_alone_is_on_the_frontier()
    {
        var marked = SvgTradeoffChart.MarkFrontier([Point("original", 10, null), Point("int8", 12, null)]);

        Assert.Equal([true, false], marked.Select(static p => p.OnFrontier));
    }

    [Fact]
    public void Two_charts_per_model_with_two_measured_variants_and_none_for_one()
    {
        var svgs = SvgTradeoffChart.Draw(Model, "t").ToList();

        Assert.Equal(2, svgs.Count);
        Assert.Contains("top1 vs latency", svgs[0], StringComparison.Ordinal);
        Assert.Contains("latency vs MACs", svgs[1], StringComparison.Ordinal);
        Assert.Contains(">int8 · ", svgs[0], StringComparison.Ordinal);
        Assert.Empty(SvgTradeoffChart.Draw(Model with { Variants = [Model.Variants[0]] }, "t"));
    }

    [Fact]
    public void Without_accuracy_the_quality_axis_is_agreement_with_the_original()
    {
        var model = Model with { Variants = [.. Model.Variants.Select(static v => v with { Accuracy = null })] };

        var (_, quality, points) = SvgTradeoffChart.Points(model)!.Value;

        Assert.Equal("top-1 agreement with the original", quality);
        Assert.Equal([1.0, 0.9915], points.Select(static p => p.Quality!.Value));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void Coordinates_use_a_decimal_point_in_every_culture(string culture)
    {
        using var _ = new CultureScope(culture);

        var svg = string.Concat(SvgTradeoffChart.Draw(Model, "t"));

        Assert.DoesNotMatch(new Regex("(?:x|y|x1|y1|x2|y2|width|height)=\"-?\\d+,\\d"), svg);
    }

    [Fact]
    public void The_html_report_shows_the_trade_off_section()
    {
        var html = HtmlReport.Render(GateResultFixture.Result, GateResultFixture.Options);

        Assert.Contains("<h2>Trade-offs between variants</h2>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"pg-tradeoff-0-", html, StringComparison.Ordinal);
    }

    private static SvgTradeoffChart.Point Point(string name, double ms, double? quality) =>
        new(name, ms, ms * 0.98, ms * 1.02, quality, 1000, 1000, MacsComplete: true);
}
