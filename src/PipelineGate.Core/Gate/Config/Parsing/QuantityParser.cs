using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Parses "12 ms", "6 MB", "200/s", "97%", "0.5 pp" into a <see cref="Quantity"/> in the base unit of one
/// of the allowed dimensions. Numbers are invariant-culture only: "1,5 ms" is an error, never 15 ms or 1.5 ms.
/// </summary>
internal static partial class QuantityParser
{
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <param name="text">What the user wrote.</param>
    /// <param name="allowed">Dimensions that fit, preferred first (it decides what "%" and a bare 0 mean).</param>
    /// <param name="subject">How messages name the value, e.g. "'max' of latency.p90".</param>
    /// <param name="quantity">The value in the base unit of the dimension it was written in.</param>
    /// <param name="error">Why it did not parse.</param>
    public static bool TryParse(string text, IReadOnlyList<UnitDimension> allowed, string subject, out Quantity quantity, [NotNullWhen(false)] out ValueError? error)
    {
        quantity = default;
        var match = Shape().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["number"].Value, NumberStyle, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            error = new ValueError(PgCode.ConfigInvalidValue, $"{subject} '{text}' is not a number with an optional unit.",
                $"Numbers use '.' as the decimal separator and no thousands separator; write {Expected(allowed)}.");
            return false;
        }

        if (number < 0)
        {
            error = new ValueError(PgCode.ConfigInvalidValue, $"{subject} must not be negative, got '{text}'.", $"Write {Expected(allowed)}.");
            return false;
        }

        var symbol = match.Groups["unit"].Value;
        if (symbol.Length == 0)
        {
            UnitDimension? plain = allowed.Any(UnitTable.AllowsPlainNumber) ? allowed.First(UnitTable.AllowsPlainNumber) : number == 0 ? allowed[0] : null;
            if (plain is { } dimension)
            {
                quantity = new Quantity(number, dimension, text);
                error = null;
                return true;
            }

            error = new ValueError(PgCode.ConfigInvalidUnit, $"{subject} '{text}' has no unit; it must be {DescribeAll(allowed)}.", $"Write {Expected(allowed)}.");
            return false;
        }

        if (UnitTable.Find(symbol, allowed) is { } unit)
        {
            quantity = new Quantity(unit.ToBase(number), unit.Dimension, text);
            error = null;
            return true;
        }

        if (UnitTable.Find(symbol, Enum.GetValues<UnitDimension>()) is { } other)
        {
            error = new ValueError(PgCode.ConfigInvalidUnit, $"{subject} '{text}' is {UnitTable.Describe(other.Dimension)}, but it must be {DescribeAll(allowed)}.", $"Write {Expected(allowed)}.");
            return false;
        }

        var suggestion = Suggestions.DidYouMean(symbol, allowed.SelectMany(UnitTable.Symbols));
        error = new ValueError(PgCode.ConfigInvalidUnit, $"{subject} '{text}' has an unknown unit '{symbol}'.{suggestion}", $"Write {Expected(allowed)}.");
        return false;
    }

    private static string DescribeAll(IReadOnlyList<UnitDimension> allowed) => string.Join(" or ", allowed.Select(UnitTable.Describe));

    private static string Expected(IReadOnlyList<UnitDimension> allowed) => string.Join("; or ", allowed.Select(UnitTable.HowToWrite));

    // A number, optional spaces, an optional unit made of letters, '%' or '/'. Anything else ("1,5 ms", "12 m s") is malformed.
    [GeneratedRegex(@"^(?<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(?<unit>[\p{L}%/]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
