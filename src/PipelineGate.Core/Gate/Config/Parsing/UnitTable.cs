namespace PipelineGate.Gate.Config.Parsing;

/// <summary>The units a quantity may be written in, per dimension, with the factor to the dimension's base unit.</summary>
internal static class UnitTable
{
    // Sub-unit factors are divisors so that "95%" is 95 / 100, the double nearest 0.95, not 95 * 0.01.
    private static readonly (UnitDimension Dimension, string Symbol, double Multiply, double Divide)[] Table =
    [
        (UnitDimension.Time, "ns", 1, 1e6),
        (UnitDimension.Time, "us", 1, 1e3),
        (UnitDimension.Time, "µs", 1, 1e3), // U+00B5 MICRO SIGN
        (UnitDimension.Time, "μs", 1, 1e3), // U+03BC GREEK SMALL LETTER MU: keyboards produce either
        (UnitDimension.Time, "ms", 1, 1),
        (UnitDimension.Time, "s", 1000, 1),
        (UnitDimension.Bytes, "B", 1, 1),
        (UnitDimension.Bytes, "KB", 1e3, 1),
        (UnitDimension.Bytes, "MB", 1e6, 1),
        (UnitDimension.Bytes, "GB", 1e9, 1),
        (UnitDimension.Bytes, "KiB", 1024, 1),
        (UnitDimension.Bytes, "MiB", 1024 * 1024, 1),
        (UnitDimension.Bytes, "GiB", 1024 * 1024 * 1024, 1),
        (UnitDimension.Count, "k", 1e3, 1),
        (UnitDimension.Count, "M", 1e6, 1),
        (UnitDimension.Count, "G", 1e9, 1),
        (UnitDimension.Rate, "/s", 1, 1),
        (UnitDimension.Ratio, "%", 1, 100),
        (UnitDimension.PercentagePoints, "pp", 1, 100),
        (UnitDimension.Relative, "%", 1, 100),
    ];

    /// <summary>Dimensions where a bare number is meaningful; elsewhere only 0 may go without a unit.</summary>
    public static bool AllowsPlainNumber(UnitDimension d) => d is UnitDimension.Count or UnitDimension.Ratio;

    /// <summary>Finds a unit among <paramref name="dimensions"/>: exact spelling first, then ignoring case (no two units of one dimension differ only by case).</summary>
    public static (UnitDimension Dimension, Func<double, double> ToBase)? Find(string symbol, IEnumerable<UnitDimension> dimensions)
    {
        var dims = dimensions as IReadOnlyCollection<UnitDimension> ?? [.. dimensions];
        foreach (var comparison in (ReadOnlySpan<StringComparison>)[StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase])
        {
            foreach (var d in dims)
            {
                foreach (var u in Table)
                {
                    if (u.Dimension == d && string.Equals(u.Symbol, symbol, comparison))
                    {
                        var (multiply, divide) = (u.Multiply, u.Divide);
                        return (u.Dimension, x => x * multiply / divide);
                    }
                }
            }
        }

        return null;
    }

    public static IEnumerable<string> Symbols(UnitDimension d) => Table.Where(u => u.Dimension == d && u.Symbol != "μs").Select(static u => u.Symbol);

    public static string Describe(UnitDimension d) => d switch
    {
        UnitDimension.Time => "a time",
        UnitDimension.Bytes => "a size",
        UnitDimension.Count => "a count",
        UnitDimension.Rate => "a rate",
        UnitDimension.Ratio => "a ratio",
        UnitDimension.PercentagePoints => "a change in percentage points",
        _ => "a relative change",
    };

    /// <summary>How to write a value of the dimension, for hints: "ns, us, µs, ms or s (e.g. 12 ms)".</summary>
    public static string HowToWrite(UnitDimension d) => d switch
    {
        UnitDimension.Time => "ns, us, µs, ms or s (e.g. 12 ms)",
        UnitDimension.Bytes => "B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024) (e.g. 6 MB)",
        UnitDimension.Count => "a plain number or one with k, M or G (e.g. 6570 or 1.5M)",
        UnitDimension.Rate => "/s (e.g. 200/s)",
        UnitDimension.Ratio => "a fraction or a percentage (e.g. 0.97 or 97%)",
        UnitDimension.PercentagePoints => "pp (e.g. 0.5 pp)",
        _ => "% (e.g. 5%)",
    };
}
