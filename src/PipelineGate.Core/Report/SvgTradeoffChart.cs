using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// The trade-off of one model's variants on one target, as two scatter plots: quality (the model's
/// accuracy metric, or top-1 agreement with the original when there are no labels) against measured
/// p50 latency, with the variants on the frontier filled and joined; and measured p50 latency against
/// MACs, which shows at a glance that fewer operations is not always less time (an int8 MatMul that
/// does a quarter of the float work can still be slower on a CPU without VNNI). Latency points carry
/// the p50's confidence interval as a horizontal or vertical bar. Drawn only for two or more variants
/// measured on the target: one point has no trade-off to show.
/// </summary>
internal static class SvgTradeoffChart
{
    public const double Width = 640;
    public const double Height = 260;

    private const double Left = 64;
    private const double Right = 24;
    private const double Top = 40;
    private const double Bottom = 44;
    private const string FrontierColour = "#2e7d32";
    private const string OtherColour = "#757575";

    /// <summary>One variant as a point: its p50 with interval, quality (null without data), file size and MACs.</summary>
    internal sealed record Point(string Variant, double LatencyMs, double? LatencyLower, double? LatencyUpper, double? Quality, long Bytes, long Macs, bool MacsComplete)
    {
        public bool OnFrontier { get; init; }
    }

    /// <summary>The points of <paramref name="model"/> on its first target where at least two variants were measured.</summary>
    internal static (string Target, string QualityName, IReadOnlyList<Point> Points)? Points(ModelResult model)
    {
        var target = model.Variants.SelectMany(static v => v.Targets)
            .Where(static t => t.Latency is not null)
            .Select(static t => t.Target)
            .FirstOrDefault(t => model.Variants.Count(v => Measured(v, t) is not null) >= 2);
        if (target is null)
        {
            return null;
        }

        var withAccuracy = model.Variants.All(static v => v.Accuracy is not null);
        var withAgreement = !withAccuracy && model.Variants.Skip(1).Any(static v => v.Fidelity?.Top1Agreement is not null);
        var qualityName = withAccuracy ? model.Variants[0].Accuracy!.Metric : withAgreement ? "top-1 agreement with the original" : string.Empty;
        var points = new List<Point>();
        foreach (var (v, index) in model.Variants.Select(static (v, i) => (v, i)))
        {
            if (Measured(v, target) is not { } latency)
            {
                continue;
            }

            // The original agrees with itself by definition; a variant without agreement has no point on that axis.
            double? quality = withAccuracy ? v.Accuracy!.Value : withAgreement ? (index == 0 ? 1.0 : v.Fidelity?.Top1Agreement) : null;
            var ci = latency.Summary.Median.Interval;
            points.Add(new Point(v.Name, latency.Summary.Median.Value, ci?.Lower, ci?.Upper, quality, v.Size.TotalBytes, v.Size.Macs, v.Size.MacsComplete));
        }

        return (target, qualityName, MarkFrontier(points));
    }

    private static Measure.Bench.LatencyMeasurement? Measured(VariantResult v, string target) =>
        v.Targets.FirstOrDefault(t => t.Target == target && t.Status == "measured")?.Latency;

    /// <summary>
    /// A point is on the frontier when no other point is at least as fast and at least as good, and
    /// strictly better in one of the two. Without quality, the fastest point alone is.
    /// </summary>
    internal static IReadOnlyList<Point> MarkFrontier(IReadOnlyList<Point> points)
    {
        var result = new List<Point>(points.Count);
        foreach (var p in points)
        {
            var dominated = points.Any(q => !ReferenceEquals(p, q)
                && q.LatencyMs <= p.LatencyMs
                && (q.Quality ?? 0) >= (p.Quality ?? 0)
                && (q.LatencyMs < p.LatencyMs || (q.Quality ?? 0) > (p.Quality ?? 0)));
            result.Add(p with { OnFrontier = !dominated });
        }

        return result;
    }

    public static IEnumerable<string> Draw(ModelResult model, string idPrefix)
    {
        if (Points(model) is not { } chart)
        {
            yield break;
        }

        var (target, qualityName, points) = chart;
        if (points.All(static p => p.Quality is not null) && qualityName.Length > 0)
        {
            yield return QualityAgainstLatency(model.Name, target, qualityName, points, idPrefix + "-quality");
        }

        yield return LatencyAgainstMacs(model.Name, target, points, idPrefix + "-macs");
    }

    private static string QualityAgainstLatency(string model, string target, string qualityName, IReadOnlyList<Point> points, string id)
    {
        var x = Axis.For(points.Select(static p => p.LatencyLower ?? p.LatencyMs).Concat(points.Select(static p => p.LatencyUpper ?? p.LatencyMs)), zeroBased: true);
        var y = Axis.For(points.Select(static p => p.Quality!.Value), zeroBased: false);
        var svg = Frame(id, $"{model} on {target}: {qualityName} against p50 latency", $"{model} on {target}: {qualityName} vs latency");
        // Enough decimals that the five ticks differ: a 0.06 pp spread needs hundredths of a percent.
        var decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(Math.Max((y.Max - y.Min) * 100 / 4, 1e-9))) + 1, 0, 4);
        Grid(svg, x, y, Time, v => ReportFormat.Number(v * 100, "0." + new string('0', decimals)).TrimEnd('.') + "%");

        var frontier = points.Where(static p => p.OnFrontier).OrderBy(static p => p.LatencyMs).ToList();
        for (var i = 1; i < frontier.Count; i++)
        {
            svg.Line(x.Px(frontier[i - 1].LatencyMs), y.Py(frontier[i - 1].Quality!.Value), x.Px(frontier[i].LatencyMs), y.Py(frontier[i].Quality!.Value), FrontierColour, 1.5, dashed: true);
        }

        foreach (var p in points)
        {
            var py = y.Py(p.Quality!.Value);
            if (p.LatencyLower is { } lo && p.LatencyUpper is { } hi)
            {
                svg.Line(x.Px(lo), py, x.Px(hi), py, Colour(p), 1.5);
            }

            Dot(svg, x.Px(p.LatencyMs), py, p);
            Label(svg, x.Px(p.LatencyMs), py, $"{p.Variant} · {ReportFormat.BytesShort(p.Bytes)}", p);
        }

        svg.Text(Left + ((Width - Left - Right) / 2), Height - 8, "p50 latency (bar: 95% interval); filled: on the frontier", "middle", 11);
        svg.Text(14, Top + ((Height - Top - Bottom) / 2), qualityName.Length > 24 ? "agreement" : qualityName, "middle", 11, rotate: -90);
        return svg.ToString();
    }

    private static string LatencyAgainstMacs(string model, string target, IReadOnlyList<Point> points, string id)
    {
        var x = Axis.For(points.Select(static p => (double)p.Macs), zeroBased: true);
        var y = Axis.For(points.Select(static p => p.LatencyLower ?? p.LatencyMs).Concat(points.Select(static p => p.LatencyUpper ?? p.LatencyMs)), zeroBased: true);
        var svg = Frame(id, $"{model} on {target}: p50 latency against MACs", $"{model} on {target}: latency vs MACs");
        Grid(svg, x, y, static v => ReportFormat.Si((long)Math.Round(v)), Time);
        foreach (var p in points)
        {
            var px = x.Px(p.Macs);
            if (p.LatencyLower is { } lo && p.LatencyUpper is { } hi)
            {
                svg.Line(px, y.Py(lo), px, y.Py(hi), Colour(p), 1.5);
            }

            Dot(svg, px, y.Py(p.LatencyMs), p);
            Label(svg, px, y.Py(p.LatencyMs), p.Variant + (p.MacsComplete ? string.Empty : " (MACs: lower bound)"), p);
        }

        svg.Text(Left + ((Width - Left - Right) / 2), Height - 8, "multiply-accumulates per inference (counted from the graph)", "middle", 11);
        svg.Text(14, Top + ((Height - Top - Bottom) / 2), "p50 latency", "middle", 11, rotate: -90);
        return svg.ToString();
    }

    private static string Time(double ms) => ms == 0 ? "0" : ReportFormat.Duration(ms);

    private static string Colour(Point p) => p.OnFrontier ? FrontierColour : OtherColour;

    private static void Dot(SvgWriter svg, double px, double py, Point p)
    {
        // A square marker (the writer draws rectangles); hollow when off the frontier.
        svg.Rect(px - 4, py - 4, 8, 8, Colour(p), p.OnFrontier ? 1 : 0.25);
    }

    // Labels right of the point, or left of it in the right third so that they stay inside the chart.
    private static void Label(SvgWriter svg, double px, double py, string text, Point p)
    {
        var nearRight = px > Left + ((Width - Left - Right) * 0.66);
        svg.Text(nearRight ? px - 7 : px + 7, py - 6, text, nearRight ? "end" : "start", 10, Colour(p));
    }

    private static SvgWriter Frame(string id, string title, string heading)
    {
        var svg = new SvgWriter(id, Width, Height, title);
        svg.Rect(0, 0, Width, Height, "#ffffff");
        svg.Text(Left, 16, heading, size: 13, fill: "#111");
        return svg;
    }

    private static void Grid(SvgWriter svg, Axis x, Axis y, Func<double, string> xLabel, Func<double, string> yLabel)
    {
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        for (var i = 0; i <= 4; i++)
        {
            var v = y.Min + ((y.Max - y.Min) * i / 4);
            svg.Line(Left, y.Py(v), Left + plotW, y.Py(v), "#e3e3e3");
            svg.Text(Left - 6, y.Py(v) + 4, yLabel(v), "end", 10);
        }

        svg.Line(Left, Top + plotH, Left + plotW, Top + plotH, "#333");
        for (var i = 0; i <= 4; i++)
        {
            var v = x.Min + ((x.Max - x.Min) * i / 4);
            svg.Line(x.Px(v), Top + plotH, x.Px(v), Top + plotH + 4, "#333");
            svg.Text(x.Px(v), Top + plotH + 16, xLabel(v), i == 0 ? "start" : i == 4 ? "end" : "middle", 10);
        }
    }

    /// <summary>A linear axis over the values with 8% headroom; from zero when asked, so that ratios read true.</summary>
    private readonly record struct Axis(double Min, double Max)
    {
        public static Axis For(IEnumerable<double> values, bool zeroBased)
        {
            var list = values.Where(double.IsFinite).ToList();
            var lo = list.Count == 0 ? 0 : list.Min();
            var hi = list.Count == 0 ? 1 : list.Max();
            var span = hi - lo;
            var pad = span > 0 ? span * 0.08 : Math.Max(Math.Abs(hi) * 0.05, 1e-6);
            var min = zeroBased ? 0 : lo - pad;
            return new Axis(min, hi + pad);
        }

        public double Px(double v) => Left + ((v - Min) / (Max - Min) * (Width - Left - Right));

        public double Py(double v) => Top + (Height - Top - Bottom) - ((v - Min) / (Max - Min) * (Height - Top - Bottom));
    }
}
