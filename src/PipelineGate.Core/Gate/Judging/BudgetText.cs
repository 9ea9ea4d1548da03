using PipelineGate.Gate.Config;

namespace PipelineGate.Gate.Judging;

/// <summary>A budget as people read it: "≤ 12 ms", "≥ 95%", "drop ≤ 0.5 pp", "≤ +5% vs base".</summary>
internal static class BudgetText
{
    public static string Of(BudgetConfig b, MetricInfo m)
    {
        if (b.Max is { } max)
        {
            return "≤ " + max.Text;
        }

        if (b.Min is { } min)
        {
            return "≥ " + min.Text;
        }

        if (b.MaxDrop is { } drop)
        {
            return $"drop ≤ {drop.Text} vs original";
        }

        var r = b.MaxRegression!.Value;
        var sign = m.Direction == MetricDirection.HigherIsBetter ? "−" : "+";
        var against = b.VsOriginal ? "original" : "base";
        return r.Value == 0 ? $"no increase vs {against}" : $"≤ {sign}{r.Text.TrimStart('+', '-')} vs {against}";
    }
}
