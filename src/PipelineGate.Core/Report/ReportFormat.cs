using System.Globalization;

namespace PipelineGate.Report;

/// <summary>
/// Number formatting shared by every report. Invariant culture always: a report must read the same
/// on a German runner as on an American one, and golden files must not depend on the machine.
/// Negative numbers use the minus sign (U+2212) so that a change never reads as a dash. The CLI's
/// tables and the judges' messages format through here too (one number formatting for every output).
/// </summary>
public static class ReportFormat
{
    public const string Minus = "\u2212";
    public const string Dash = "—";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A duration given in ms: µs below 0.1 ms so that tiny models stay readable, ms otherwise.</summary>
    public static string Duration(double ms)
    {
        if (!double.IsFinite(ms))
        {
            return Dash;
        }

        var magnitude = Math.Abs(ms);
        return magnitude < 0.1
            ? Number(ms * 1000, magnitude < 0.01 ? "0.00" : "0.0") + " µs"
            : Number(ms, magnitude < 1 ? "0.000" : magnitude < 100 ? "0.00" : "0.0") + " ms";
    }

    /// <summary>Exact bytes with thousands separators: sizes are deterministic, so they are shown to the byte.</summary>
    public static string Bytes(long bytes) => Number(bytes, "#,0") + " B";

    /// <summary>Bytes for people (binary units), for chart axes where exactness would be clutter.</summary>
    public static string BytesShort(double bytes)
    {
        var magnitude = Math.Abs(bytes);
        return magnitude switch
        {
            < 1024 => Number(bytes, "0") + " B",
            < 1024 * 1024 => Number(bytes / 1024, "0.0") + " KiB",
            < 1024.0 * 1024 * 1024 => Number(bytes / (1024.0 * 1024), "0.00") + " MiB",
            _ => Number(bytes / (1024.0 * 1024 * 1024), "0.00") + " GiB",
        };
    }

    public static string Count(long n) => Number(n, "#,0");

    /// <summary>Large counts with an SI suffix (1.23 G), for MACs and parameters.</summary>
    public static string Si(long n) => Math.Abs(n) switch
    {
        < 10_000 => Number(n, "0"),
        < 10_000_000 => Number(n / 1e3, "0.##") + " k",
        < 10_000_000_000 => Number(n / 1e6, "0.##") + " M",
        _ => Number(n / 1e9, "0.##") + " G",
    };

    /// <summary>A fraction such as an accuracy, to four decimals (0.9731); tiny values (a KL divergence) in scientific notation.</summary>
    public static string Fraction(double value) =>
        value == 0 || Math.Abs(value) >= 0.001 ? Number(value, "0.0000") : Number(value, "0.00E+0");

    /// <summary>A relative change with its sign: 0.122 → "+12.2%".</summary>
    public static string SignedPercent(double relative, int decimals = 1) => Signed(relative * 100, Decimals(decimals)) + "%";

    /// <summary>A change of a fraction in percentage points: −0.0006 → "−0.06 pp".</summary>
    public static string SignedPp(double fractionDelta) => Signed(fractionDelta * 100, "0.00") + " pp";

    /// <summary>The bounds of an interval on relative changes: "95% CI +10.8 … +13.5%".</summary>
    public static string PercentInterval(double lower, double upper, double level = 0.95) =>
        $"{Level(level)} CI {Signed(lower * 100, "0.0")} … {Signed(upper * 100, "0.0")}%";

    /// <summary>The bounds of an interval on percentage-point changes: "95% CI −0.31 … +0.19 pp".</summary>
    public static string PpInterval(double lower, double upper, double level = 0.95) =>
        $"{Level(level)} CI {Signed(lower * 100, "0.00")} … {Signed(upper * 100, "0.00")} pp";

    /// <summary>"95%" for 0.95; one decimal only when needed (99.9%).</summary>
    public static string Level(double level) => Number(level * 100, "0.#") + "%";

    /// <summary>A p-value as every message writes it (<see cref="Measure.Statistics.PValueText"/>): "p &lt; 0.001" when tiny.</summary>
    public static string PValue(double p) => Measure.Statistics.PValueText.Format(p);

    /// <summary>A number with an explicit sign; exact zero has none (a change of nothing is "0").</summary>
    public static string Signed(double value, string format)
    {
        var text = Number(Math.Abs(value), format);
        if (IsZeroText(text))
        {
            return text;
        }

        return (value < 0 ? Minus : "+") + text;
    }

    public static string SignedBytes(long delta) => delta == 0 ? "0" : (delta < 0 ? Minus : "+") + Bytes(Math.Abs(delta));

    public static string SignedCount(long delta) => delta == 0 ? "0" : (delta < 0 ? Minus : "+") + Count(Math.Abs(delta));

    public static string SignedDuration(double deltaMs) => deltaMs == 0 ? "0" : (deltaMs < 0 ? Minus : "+") + Duration(Math.Abs(deltaMs));

    /// <summary>Formats in the invariant culture; a negative number gets the minus sign rather than a hyphen.</summary>
    public static string Number(double value, string format)
    {
        var text = Math.Abs(value).ToString(format, Inv);
        return value < 0 && !IsZeroText(text) ? Minus + text : text;
    }

    public static string Number(long value, string format) =>
        value < 0 ? Minus + Math.Abs(value).ToString(format, Inv) : value.ToString(format, Inv);

    public static string Integer(int value) => Number(value, "0");

    /// <summary>An instant as UTC ISO 8601 to the second, the one timestamp shape every CI system parses.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv);

    /// <summary>Run time in seconds for people: "84 s", "3 min 12 s".</summary>
    public static string Seconds(double seconds) => seconds < 90
        ? Number(seconds, seconds < 10 ? "0.0" : "0") + " s"
        : Integer((int)(seconds / 60)) + " min " + Integer((int)(seconds % 60)) + " s";

    private static string Decimals(int decimals) => decimals <= 0 ? "0" : "0." + new string('0', decimals);

    private static bool IsZeroText(string text) => text.All(static c => c is '0' or '.' or ',');
}
