using System.Globalization;
using System.Text.RegularExpressions;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// The limit of a budget in the units of the check's delta, read back from its text ("≤ +5% vs base",
/// "drop ≤ 0.5 pp"), because the results carry the limit as a number only for absolute budgets. Used
/// to draw the limit on a chart; when the text cannot be read the chart simply has no limit line.
/// </summary>
internal static partial class BudgetLimit
{
    /// <summary>The limit on the plotted value, and whether it is an upper bound (≤) or a lower one (≥).</summary>
    public static (double Limit, bool IsMax)? Of(CheckResult c)
    {
        var lowerIsBetter = MetricCatalog.Find(c.Metric)?.Direction != MetricDirection.HigherIsBetter;
        if (c.Kind == BudgetKind.Absolute)
        {
            var isMin = c.BudgetText.Contains('≥', StringComparison.Ordinal) || c.BudgetText.Contains(">=", StringComparison.Ordinal)
                || c.BudgetText.StartsWith("min", StringComparison.OrdinalIgnoreCase);
            return c.Reference is { } limit ? (limit, !isMin) : null;
        }

        if (c.BudgetText.StartsWith("no increase", StringComparison.OrdinalIgnoreCase))
        {
            return (0, lowerIsBetter);
        }

        if (Parse(c.BudgetText) is not { } q)
        {
            return null;
        }

        var magnitude = Math.Abs(q.Unit switch
        {
            "%" or "pp" => q.Number / 100,
            _ => q.Number * Scale(q.Unit),
        });
        // Regression and drop budgets bound the change in the bad direction: up for latency and size, down for accuracy.
        return lowerIsBetter ? (magnitude, true) : (-magnitude, false);
    }

    internal static (double Number, string Unit)? Parse(string text)
    {
        var m = Quantity().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var number = m.Groups["num"].Value.Replace('−', '-').Replace(',', '.');
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? (value, m.Groups["unit"].Value)
            : null;
    }

    private static double Scale(string unit) => unit switch
    {
        "ns" => 1e-6,
        "us" or "µs" => 1e-3,
        "s" => 1e3,
        "KB" or "k" => 1e3,
        "MB" or "M" => 1e6,
        "GB" or "G" => 1e9,
        "KiB" => 1024,
        "MiB" => 1024.0 * 1024,
        "GiB" => 1024.0 * 1024 * 1024,
        _ => 1,
    };

    [GeneratedRegex(@"(?<num>[+\-−]?\d+(?:[.,]\d+)?)\s*(?<unit>%|pp|ns|us|µs|ms|s|B|KB|MB|GB|KiB|MiB|GiB|k|M|G)?(?![A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();
}
