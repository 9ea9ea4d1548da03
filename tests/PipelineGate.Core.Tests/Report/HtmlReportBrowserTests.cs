using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using PipelineGate.Report;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Report;

/// <summary>
/// Renders the HTML report in a real (headless) Chromium: the charts must be laid out with a size,
/// as reported by the page's own layout self-check, and a screenshot must show them drawn.
/// </summary>
public sealed class HtmlReportBrowserTests(ITestOutputHelper output)
{
    // Series colours at 50% opacity over white, as the histograms paint them.
    private static readonly int[] SeriesColours = [Blend(SvgLatencyChart.BaseColour), Blend(SvgLatencyChart.HeadColour)];

    [Fact]
    public void Every_chart_is_laid_out_with_a_positive_size()
    {
        using var temp = new TempFolder();
        var html = HtmlReport.Render(GateResultFixture.Result, GateResultFixture.Options);
        var page = temp.File("report.html");
        File.WriteAllText(page, html);

        var clock = Stopwatch.StartNew();
        var dom = Chromium.Run(page, temp, "--dump-dom");
        output.WriteLine($"chromium --dump-dom: {clock.ElapsedMilliseconds} ms");

        var expected = Regex.Matches(html, "<svg class=\"pg-chart\" id=\"([^\"]+)\"").Select(static m => m.Groups[1].Value).ToList();
        var pre = Regex.Match(dom, "<pre id=\"pg-layout\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(pre.Success, "The dumped DOM has no #pg-layout element:\n" + dom[..Math.Min(dom.Length, 2000)]);
        var layout = WebUtility.HtmlDecode(pre.Groups[1].Value)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(static l => l.Split(' '))
            .ToDictionary(static p => p[0], static p => (Width: double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), Height: double.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)));

        Assert.True(expected.Count >= 3, "expected budget bars and latency charts in the page");
        Assert.Equal(expected.Order(StringComparer.Ordinal), layout.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, id => Assert.True(layout[id].Width > 0 && layout[id].Height > 0, $"{id} laid out as {layout[id]}"));
        Assert.All(expected.Where(static id => id.StartsWith("pg-latency-", StringComparison.Ordinal)),
            id => Assert.Equal((SvgLatencyChart.Width, SvgLatencyChart.Height), layout[id]));
    }

    [Fact]
    public void Screenshot_shows_the_charts()
    {
        using var temp = new TempFolder();
        var page = temp.File("report.html");
        File.WriteAllText(page, HtmlReport.Render(GateResultFixture.Result, GateResultFixture.Options));
        var png = temp.File("report.png");

        var clock = Stopwatch.StartNew();
        Chromium.Run(page, temp, "--screenshot=" + png, "--window-size=1200,2400");
        output.WriteLine($"chromium --screenshot: {clock.ElapsedMilliseconds} ms");

        Assert.True(File.Exists(png), "Chromium wrote no screenshot.");
        var image = PngImage.Decode(File.ReadAllBytes(png));
        Assert.Equal((1200, 2400), (image.Width, image.Height));

        var colours = new HashSet<int>();
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1, seriesPixels = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var rgb = image.Rgb(x, y);
                colours.Add(rgb);
                if (SeriesColours.Any(c => Near(rgb, c)))
                {
                    seriesPixels++;
                    (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                }
            }
        }

        output.WriteLine($"{colours.Count} distinct colours; {seriesPixels} histogram pixels in [{minX},{minY}]–[{maxX},{maxY}]");
        Assert.True(colours.Count >= 20, $"Only {colours.Count} distinct colours: the page looks blank.");
        Assert.True(seriesPixels >= 2000, $"Only {seriesPixels} pixels in the histogram colours: the latency charts were not drawn.");
        Assert.True(maxX - minX >= 200 && maxY - minY >= 80, $"The histogram area [{minX},{minY}]–[{maxX},{maxY}] is too small for a chart.");

        var nonWhite = 0;
        for (var y = minY; y <= maxY; y++)
        {
            for (var x = minX; x <= maxX; x++)
            {
                nonWhite += image.Rgb(x, y) == 0xFFFFFF ? 0 : 1;
            }
        }

        var share = (double)nonWhite / ((maxX - minX + 1) * (maxY - minY + 1));
        Assert.True(share >= 0.1, $"Only {share:P1} of the chart area is not white.");
    }

    private static int Blend(string hex)
    {
        var v = Convert.ToInt32(hex[1..], 16);
        int Mix(int shift) => (((v >> shift) & 0xFF) + 255 + 1) / 2;
        return (Mix(16) << 16) | (Mix(8) << 8) | Mix(0);
    }

    private static bool Near(int a, int b) =>
        Math.Abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) <= 10
        && Math.Abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF)) <= 10
        && Math.Abs((a & 0xFF) - (b & 0xFF)) <= 10;
}
