using System.Globalization;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Statistics;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>Console rendering of a <see cref="BenchResult"/>: the distribution with its uncertainty, then the verdict in words.</summary>
internal static class BenchRenderer
{
    public static void Render(IAnsiConsole console, BenchResult r)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Metric");
        if (r.Baseline is not null)
        {
            table.AddColumn("Baseline");
        }

        table.AddColumn(r.Baseline is null ? "Value" : "Candidate");
        void Row(string name, Func<ModelMeasurement, string> value)
        {
            var cells = new List<string> { name };
            if (r.Baseline is not null)
            {
                cells.Add(value(r.Baseline));
            }

            cells.Add(value(r.Candidate));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        Row("latency p50", m => Quantile(m.Latency.Summary.Median));
        Row("latency p90", m => Quantile(m.Latency.Summary.P90));
        Row("latency p95", m => Quantile(m.Latency.Summary.P95));
        Row("latency p99", m => Quantile(m.Latency.Summary.P99));
        Row("mean ± sd", m => $"{ReportFormat.Duration(m.Latency.Summary.Mean)} ± {ReportFormat.Duration(m.Latency.Summary.StandardDeviation)}");
        Row("min / max", m => $"{ReportFormat.Duration(m.Latency.Summary.Min)} / {ReportFormat.Duration(m.Latency.Summary.Max)}");
        Row("samples", m => $"{m.Latency.Summary.Count} ({m.Latency.WarmupIterations} warm-up{(m.Latency.WarmupSettled ? "" : ", did not settle")})");
        Row("session create", m => ReportFormat.Duration(m.ColdStart.SessionCreateMs));
        Row("first inference", m => ReportFormat.Duration(m.ColdStart.FirstInferenceMs));
        Row("memory (peak − before)", m => ReportFormat.BytesShort(m.Memory.AttributableBytes) + (m.Memory.PeakIsExact ? "" : " (shared)"));
        Row("weights", m => ReportFormat.BytesShort(m.Memory.WeightBytes));
        Row("file size", m => $"{ReportFormat.Count(m.Size.TotalBytes)} B");
        Row("gzip size", m => $"{ReportFormat.Count(m.Size.CompressedBytes)} B");
        Row("parameters", m => $"{ReportFormat.Count(m.Size.ParameterCount)} ({ReportFormat.Count(m.Size.NonzeroParameterCount)} nonzero)");
        Row("MACs", m => ReportFormat.Si(m.Size.Macs) + (m.Size.MacsComplete ? "" : " (lower bound)"));
        if (r.Candidate.Throughput is not null)
        {
            Row("throughput", m => m.Throughput is { } t ? $"{t.InferencesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)}/s ×{t.Concurrency}" : "");
        }

        console.Write(table);
        if (r.Comparison is { } c)
        {
            var colour = c.Verdict switch { Verdict.Slower => "red", Verdict.Faster => "green", _ => "default" };
            console.MarkupLine($"[{colour}]{Markup.Escape(Describe(c))}[/]");
        }

        console.MarkupLine($"[grey]{Markup.Escape(r.Runner.Describe())}[/]");
    }

    /// <summary>The comparison in words, with the effect and its uncertainty.</summary>
    public static string Describe(ABResult c)
    {
        var pct = (c.MedianRatio - 1) * 100;
        var ci = c.MedianRatioInterval;
        var words = c.Verdict switch
        {
            Verdict.Slower => "Slower",
            Verdict.Faster => "Faster",
            _ => c.InNoiseBand ? "Same (within the noise band)" : "Same",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{words}: median {pct:+0.0;-0.0;0.0}% (95% CI {(ci.Lower - 1) * 100:+0.0;-0.0;0.0} … {(ci.Upper - 1) * 100:+0.0;-0.0;0.0}%), p90 {(c.P90Ratio - 1) * 100:+0.0;-0.0;0.0}%, {c.TestName} {PValueText.Format(c.PValueSlower, "p(slower)")}, threshold ±{c.Options.Threshold * 100:0.#}%{(c.Extensions > 0 ? "; " + c.ExtensionNote() : "")}");
    }

    private static string Quantile(QuantileEstimate q) =>
        q.Interval is { } ci
            ? $"{ReportFormat.Duration(q.Value)} [{ReportFormat.Duration(ci.Lower)} … {ReportFormat.Duration(ci.Upper)}]"
            : $"{ReportFormat.Duration(q.Value)} (needs ≥ {q.MinimumSamples} samples for a CI)";
}
