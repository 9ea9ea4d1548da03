using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// Reads the numbers of a check in its unit: the value shown as "base", the change and its uncertainty.
/// Units are the base units of the results model (ms, bytes, count, fraction, per second).
/// </summary>
internal static class CheckValues
{
    /// <summary>A value in a check's unit; deterministic units (bytes, counts) exact to the last digit.</summary>
    public static string Value(double v, string unit) => Unit(unit) switch
    {
        UnitKind.Time => ReportFormat.Duration(v),
        UnitKind.Bytes => ReportFormat.Bytes((long)Math.Round(v)),
        UnitKind.Count => ReportFormat.Count((long)Math.Round(v)),
        UnitKind.Fraction => ReportFormat.Fraction(v),
        UnitKind.Rate => ReportFormat.Number(v, "0.0") + "/s",
        _ => ReportFormat.Number(v, "0.####") + (unit.Length > 0 ? " " + unit : string.Empty),
    };

    /// <summary>
    /// The comparison value: the baseline (regression), the original model (drop), or, for an absolute
    /// limit whose <see cref="CheckResult.Reference"/> is the limit itself, the baseline's measurement when the results hold one.
    /// </summary>
    public static double? Base(CheckResult c, ReportContext ctx) =>
        c.Kind == BudgetKind.Absolute ? BaselineMeasurement(c, ctx) : c.Reference;

    public static (string Change, string? Detail) Change(CheckResult c, ReportContext ctx)
    {
        if (c.Outcome == CheckOutcome.Skipped || c.Actual is null)
        {
            return (ReportFormat.Dash, null);
        }

        if (c.Kind == BudgetKind.Absolute)
        {
            // Reference is the limit here, so the change shown is against the baseline's own measurement
            // when there is one. The judge puts the value's own interval (not a delta) in DeltaLower/Upper.
            var ci = AbsoluteInterval(c) is { } i ? $"this PR's {ReportFormat.Level(0.95)} CI {Value(i.Lower, c.Unit)} … {Value(i.Upper, c.Unit)}" : null;
            return Base(c, ctx) is { } b ? (Difference(c.Actual.Value - b, b, c), ci) : (ReportFormat.Dash, ci);
        }

        if (c.Delta is not { } delta)
        {
            return (ReportFormat.Dash, null);
        }

        var level = ctx.Target(c)?.Comparison?.Options.Confidence ?? 0.95;
        var parts = new List<string>(2);
        if (c.DeltaLower is { } lo && c.DeltaUpper is { } hi)
        {
            parts.Add(Interval(c, lo, hi, level));
        }

        if (c.PValue is { } p)
        {
            parts.Add(TestName(c, ctx) + " " + ReportFormat.PValue(p));
        }

        return (DeltaText(c, delta), parts.Count > 0 ? string.Join(", ", parts) : null);
    }

    public static UnitKind Unit(string unit) => unit.ToUpperInvariant() switch
    {
        "MS" => UnitKind.Time,
        "BYTES" or "BYTE" or "B" => UnitKind.Bytes,
        "COUNT" or "1" => UnitKind.Count,
        "FRACTION" or "RATIO" => UnitKind.Fraction,
        "/S" or "1/S" or "PER-SECOND" => UnitKind.Rate,
        _ => UnitKind.Other,
    };

    /// <summary>An absolute check's interval around its value (the judge's convention: no delta, bounds in the value's unit).</summary>
    public static (double Lower, double Upper)? AbsoluteInterval(CheckResult c) =>
        c.Kind == BudgetKind.Absolute && c.Delta is null && c.DeltaLower is { } lo && c.DeltaUpper is { } hi ? (lo, hi) : null;

    // Timings measured interleaved are compared with a sign test over block pairs, others with Mann–Whitney;
    // quality metrics with the paired test the results name (McNemar).
    private static string TestName(CheckResult c, ReportContext ctx) => Unit(c.Unit) switch
    {
        UnitKind.Time => ctx.Target(c)?.Comparison is { Method: Measure.Statistics.ComparisonMethod.BlockPaired } ? "sign test" : "Mann–Whitney",
        UnitKind.Fraction => (c.Metric == "similarity.spearman" ? ctx.Variant(c)?.Similarity : ctx.Variant(c)?.Accuracy)?.ChangeFromOriginal?.Test is { Length: > 0 } test ? test : "paired test",
        _ => "test",
    };

    internal static string DeltaText(CheckResult c, double delta) => c.DeltaIsRelative
        ? ReportFormat.SignedPercent(delta)
        : Unit(c.Unit) switch
        {
            UnitKind.Fraction => ReportFormat.SignedPp(delta),
            UnitKind.Time => ReportFormat.SignedDuration(delta),
            UnitKind.Bytes => ReportFormat.SignedBytes((long)Math.Round(delta)),
            UnitKind.Count => ReportFormat.SignedCount((long)Math.Round(delta)),
            _ => ReportFormat.Signed(delta, "0.####"),
        };

    private static string Interval(CheckResult c, double lo, double hi, double level) => c.DeltaIsRelative
        ? ReportFormat.PercentInterval(lo, hi, level)
        : Unit(c.Unit) == UnitKind.Fraction
            ? ReportFormat.PpInterval(lo, hi, level)
            : $"{ReportFormat.Level(level)} CI {DeltaText(c, lo)} … {DeltaText(c, hi)}";

    private static string Difference(double diff, double b, CheckResult c) => Unit(c.Unit) switch
    {
        UnitKind.Bytes => ReportFormat.SignedBytes((long)Math.Round(diff)),
        UnitKind.Count => ReportFormat.SignedCount((long)Math.Round(diff)),
        UnitKind.Fraction => ReportFormat.SignedPp(diff),
        _ when b != 0 => ReportFormat.SignedPercent(diff / b),
        _ => ReportFormat.Signed(diff, "0.####"),
    };

    private static double? BaselineMeasurement(CheckResult c, ReportContext ctx)
    {
        var v = ctx.Variant(c);
        if (v is null)
        {
            return null;
        }

        var size = v.BaselineSize;
        return c.Metric switch
        {
            "file-size" => size?.TotalBytes,
            "compressed-size" => size?.CompressedBytes,
            "parameters" => size?.ParameterCount,
            "nonzero-parameters" => size?.NonzeroParameterCount,
            "macs" => size?.Macs,
            _ when c.Metric.StartsWith("latency.", StringComparison.Ordinal) => LatencyStat(ctx.Target(c)?.BaselineLatency?.Summary, c.Metric),
            "similarity.spearman" => v.BaselineSimilarity?.Value,
            _ when v.BaselineAccuracy is { } acc && (c.Metric == "accuracy" || c.Metric == acc.Metric) => acc.Value,
            "peak-memory" => null, // measured for the candidate only

            _ => null,
        };
    }

    internal static double? LatencyStat(Measure.Statistics.SampleSummary? s, string metric) => s is null ? null : metric switch
    {
        "latency.p50" => s.Median.Value,
        "latency.p90" => s.P90.Value,
        "latency.p95" => s.P95.Value,
        "latency.p99" => s.P99.Value,
        "latency.mean" => s.Mean,
        _ => null,
    };
}
