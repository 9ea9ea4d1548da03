using System.Text;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// Latency distributions as Unicode block sparklines in a code block: GitHub comments strip SVG and
/// we load no external images, but eight block heights on a shared axis are enough to see a shift.
/// </summary>
internal static class MarkdownChart
{
    private const int Bins = 40;
    private const string Blocks = "▁▂▃▄▅▆▇█";
    private const string Indent = "     ";

    public static string Write(GateResult r)
    {
        var sb = new StringBuilder();
        foreach (var bins in LatencyBins.All(r, Bins))
        {
            sb.Append(sb.Length == 0 ? "```text\n" : "\n");
            sb.Append(bins.Title).Append(": share of samples per bin of ").Append(ReportFormat.Duration(bins.Width)).Append('\n');
            sb.Append("base ").Append(Spark(bins.Baseline, bins.MaxShare)).Append(' ').Append(Stats(bins.BaselineSummary)).Append('\n');
            sb.Append("PR   ").Append(Spark(bins.Candidate, bins.MaxShare)).Append(' ').Append(Stats(bins.CandidateSummary)).Append('\n');
            sb.Append(Axis(bins)).Append('\n');
            if (bins.Overflow > 0)
            {
                sb.Append(Indent).Append($"({ReportText.Plural(bins.Overflow, "sample", "samples")} above {ReportFormat.Duration(bins.Hi)} counted in the last bin)\n");
            }
        }

        return sb.Length == 0 ? string.Empty : sb.Append("```\n\n").ToString();
    }

    private static string Spark(int[] counts, double maxShare)
    {
        var chars = new char[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            var share = LatencyBins.Share(counts, i);
            // Empty bins stay blank, and any non-empty bin shows at least the lowest block, so a lone
            // outlier is visible rather than rounded away.
            chars[i] = counts[i] == 0 || maxShare <= 0
                ? ' '
                : Blocks[Math.Clamp((int)Math.Ceiling(share / maxShare * Blocks.Length) - 1, 0, Blocks.Length - 1)];
        }

        return new string(chars);
    }

    private static string Stats(Measure.Statistics.SampleSummary s) =>
        $"p50 {ReportFormat.Duration(s.Median.Value)} · p90 {ReportFormat.Duration(s.P90.Value)} · n = {ReportFormat.Count(s.Count)}";

    // Tick labels under the sparklines at the left edge, the middle (when it fits) and the right edge.
    private static string Axis(LatencyBins bins)
    {
        var left = "↑" + ReportFormat.Duration(bins.Lo);
        var mid = "↑" + ReportFormat.Duration((bins.Lo + bins.Hi) / 2);
        var right = ReportFormat.Duration(bins.Hi) + "↑";
        var line = new StringBuilder(Indent).Append(left);
        var midAt = Indent.Length + (Bins / 2);
        var rightAt = Indent.Length + Bins - right.Length;
        if (midAt - line.Length >= 2 && rightAt - (midAt + mid.Length) >= 2)
        {
            line.Append(' ', midAt - line.Length).Append(mid);
        }

        line.Append(' ', Math.Max(1, rightAt - line.Length)).Append(right);
        return line.ToString();
    }
}
