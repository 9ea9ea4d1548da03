using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// A small horizontal bar for one budget: the measured value (or change, with its confidence interval
/// as a whisker) against the budget's limit, drawn as a dark line. Green, amber or red as the check.
/// </summary>
internal static class SvgBudgetBar
{
    public const double Width = 240;
    public const double Height = 34;
    private const double Pad = 8;
    private const double BarTop = 5;
    private const double BarHeight = 13;

    public static string? Draw(CheckResult c, string id)
    {
        if (c.Outcome == CheckOutcome.Skipped || c.Actual is null)
        {
            return null;
        }

        var absolute = c.Kind == BudgetKind.Absolute;
        double? plotted = absolute ? c.Actual : c.Delta;
        if (plotted is not { } value)
        {
            return null;
        }

        var limit = BudgetLimit.Of(c);
        var lo = absolute ? CheckValues.AbsoluteInterval(c)?.Lower : c.DeltaLower;
        var hi = absolute ? CheckValues.AbsoluteInterval(c)?.Upper : c.DeltaUpper;
        var points = new List<double> { 0, value };
        points.AddRange(new[] { lo, hi, limit?.Limit }.OfType<double>());
        var min = points.Min();
        var max = points.Max();
        var span = max - min;
        if (span <= 0)
        {
            span = Math.Max(Math.Abs(max), 1);
        }

        min = min < 0 ? min - (span * 0.12) : min;
        max += span * 0.12;
        double X(double v) => Pad + ((v - min) / (max - min) * (Width - (2 * Pad)));
        string Label(double v) => absolute ? CheckValues.Value(v, c.Unit) : CheckValues.DeltaText(c, v);

        var title = $"{c.Id}: {Label(value)}" + (limit is { } t ? $" against limit {(t.IsMax ? "≤" : "≥")} {Label(t.Limit)}" : string.Empty);
        var svg = new SvgWriter(id, Width, Height, title);
        svg.Rect(Pad, BarTop, Width - (2 * Pad), BarHeight, "#eef0f3");
        var zero = X(0);
        svg.Rect(Math.Min(zero, X(value)), BarTop + 2, Math.Abs(X(value) - zero), BarHeight - 4, Colour(c.Outcome));
        if (lo is { } l && hi is { } h)
        {
            var mid = BarTop + (BarHeight / 2);
            svg.Line(X(l), mid, X(h), mid, "#222", 1.5)
               .Line(X(l), mid - 4, X(l), mid + 4, "#222", 1.5)
               .Line(X(h), mid - 4, X(h), mid + 4, "#222", 1.5);
        }

        if (!absolute)
        {
            svg.Line(zero, BarTop - 2, zero, BarTop + BarHeight + 2, "#888");
        }

        var caption = Label(value);
        if (limit is { } lim)
        {
            svg.Line(X(lim.Limit), BarTop - 3, X(lim.Limit), BarTop + BarHeight + 3, "#111", 2, dashed: true);
            caption += $"  ·  limit {(lim.IsMax ? "≤" : "≥")} {Label(lim.Limit)}";
        }

        svg.Text(Pad, Height - 3, caption, size: 10);
        return svg.ToString();
    }

    public static string Colour(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => "#d62728",
        CheckOutcome.Warn => "#e8a317",
        CheckOutcome.Pass => "#2ca02c",
        _ => "#999999",
    };
}
