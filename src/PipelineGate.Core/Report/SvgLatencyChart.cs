namespace PipelineGate.Report;

/// <summary>
/// Overlaid histograms of baseline and candidate latency on a shared axis, each normalised to its own
/// sample count, with p50 (solid) and p90 (dashed) markers per series. A shift of the whole
/// distribution and a fattened tail look different here, which a pair of percentiles cannot show.
/// </summary>
internal static class SvgLatencyChart
{
    public const int Bins = 40;
    public const double Width = 640;
    public const double Height = 260;
    public const string BaseColour = "#4c78a8";
    public const string HeadColour = "#f58518";

    private const double Left = 56;
    private const double Right = 16;
    private const double Top = 40;
    private const double Bottom = 44;

    public static string Draw(LatencyBins b, string id)
    {
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        // Round gridlines (2%, 4%...) read better than quarters of the tallest bar.
        var step = NiceStep(Math.Max(b.MaxShare, 1e-6) / 4);
        var yMax = Math.Ceiling(b.MaxShare * 1.05 / step) * step;
        double X(double ms) => Left + ((ms - b.Lo) / (b.Hi - b.Lo) * plotW);
        double Y(double share) => Top + plotH - (share / yMax * plotH);

        var svg = new SvgWriter(id, Width, Height, $"{b.Title}: latency distribution, base vs this PR");
        svg.Rect(0, 0, Width, Height, "#ffffff");
        svg.Text(Left, 16, $"{b.Title}: latency per inference", size: 13, fill: "#111");
        Legend(svg, b);

        // Grid and y axis (share of samples per bin, in percent).
        for (var i = 0; i * step <= yMax + (step / 2); i++)
        {
            var share = i * step;
            svg.Line(Left, Y(share), Left + plotW, Y(share), "#e3e3e3");
            svg.Text(Left - 6, Y(share) + 4, ReportFormat.Number(share * 100, "0.#") + "%", "end", 10);
        }

        Series(svg, b.Baseline, BaseColour, b, X, Y);
        Series(svg, b.Candidate, HeadColour, b, X, Y);
        Markers(svg, b.BaselineSummary, BaseColour, 0, X, plotH, b);
        Markers(svg, b.CandidateSummary, HeadColour, 2, X, plotH, b);

        // x axis with five ticks in the unit the values read best in.
        svg.Line(Left, Top + plotH, Left + plotW, Top + plotH, "#333");
        for (var i = 0; i <= 4; i++)
        {
            var ms = b.Lo + ((b.Hi - b.Lo) * i / 4);
            svg.Line(X(ms), Top + plotH, X(ms), Top + plotH + 4, "#333");
            svg.Text(X(ms), Top + plotH + 16, ReportFormat.Duration(ms), i == 0 ? "start" : i == 4 ? "end" : "middle", 10);
        }

        svg.Text(Left + (plotW / 2), Height - 8, "latency (ms)" + (b.Overflow > 0 ? $"; {ReportFormat.Integer(b.Overflow)} slower samples in the last bin" : string.Empty), "middle", 11);
        svg.Text(14, Top + (plotH / 2), "share of samples", "middle", 11, rotate: -90);
        return svg.ToString();
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, the smallest such step at least <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * power >= rough)
            {
                return m * power;
            }
        }

        return 10 * power;
    }

    private static void Legend(SvgWriter svg, LatencyBins b)
    {
        var x = Width - Right - 300;
        svg.Rect(x, 24, 10, 10, BaseColour, 0.6).Text(x + 14, 33, $"base (n = {ReportFormat.Count(b.BaselineSummary.Count)})", size: 11);
        svg.Rect(x + 150, 24, 10, 10, HeadColour, 0.6).Text(x + 164, 33, $"this PR (n = {ReportFormat.Count(b.CandidateSummary.Count)})", size: 11);
    }

    private static void Series(SvgWriter svg, int[] counts, string colour, LatencyBins b, Func<double, double> x, Func<double, double> y)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            var x0 = x(b.Lo + (i * b.Width));
            var x1 = x(b.Lo + ((i + 1) * b.Width));
            var top = y(LatencyBins.Share(counts, i));
            svg.Rect(x0, top, x1 - x0, y(0) - top, colour, 0.5);
        }
    }

    // Labels are stacked in rows (base p50, base p90, PR p50, PR p90) so that close markers stay readable.
    private static void Markers(SvgWriter svg, Measure.Statistics.SampleSummary s, string colour, int row, Func<double, double> x, double plotH, LatencyBins b)
    {
        foreach (var (value, label, dashed) in new[] { (s.Median.Value, "p50", false), (s.P90.Value, "p90", true) })
        {
            if (value >= b.Lo && value <= b.Hi)
            {
                var px = x(value);
                var nearRight = px > Left + ((Width - Left - Right) * 0.75);
                svg.Line(px, Top, px, Top + plotH, colour, 1.5, dashed);
                svg.Text(nearRight ? px - 3 : px + 3, Top + 10 + (11 * row), $"{label} {ReportFormat.Duration(value)}", nearRight ? "end" : "start", 9, colour);
            }

            row++;
        }
    }
}
