using System.Globalization;

namespace PipelineGate.Measure.Statistics;

/// <summary>
/// The one way a p-value is written for people: "p &lt; 0.001" when it is tiny (never "p = 0", which
/// no finite sample can show), three decimals below 0.01 ("p = 0.004"), two otherwise ("p = 0.62").
/// Invariant culture, so a German runner prints the same text.
/// </summary>
public static class PValueText
{
    /// <summary>Below this a p-value is written as a bound.</summary>
    public const double Floor = 0.001;

    /// <summary>"p &lt; 0.001", "p = 0.004", "p = 0.62"; <paramref name="symbol"/> replaces "p" (e.g. "p(slower)").</summary>
    public static string Format(double p, string symbol = "p")
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (double.IsNaN(p))
        {
            return symbol + " = n/a";
        }

        return p switch
        {
            < Floor => symbol + " < 0.001",
            < 0.01 => symbol + " = " + p.ToString("0.000", CultureInfo.InvariantCulture),
            _ => symbol + " = " + Math.Min(p, 1).ToString("0.00", CultureInfo.InvariantCulture),
        };
    }
}
