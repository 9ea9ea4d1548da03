using System.Globalization;
using PipelineGate.Gate.Config;

namespace PipelineGate.Gate.Judging;

/// <summary>Base units and human formatting of metric values, invariant culture.</summary>
internal static class Units
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string BaseUnit(UnitDimension d) => d switch
    {
        UnitDimension.Time => "ms",
        UnitDimension.Bytes => "bytes",
        UnitDimension.Count => "count",
        UnitDimension.Rate => "1/s",
        _ => "ratio",
    };

    public static string Format(double value, UnitDimension d) => d switch
    {
        UnitDimension.Time => value < 0.1 ? (value * 1000).ToString("0.0#", Inv) + " µs" : value.ToString(value < 100 ? "0.00#" : "0.0", Inv) + " ms",
        UnitDimension.Bytes => value.ToString("N0", Inv) + " B",
        UnitDimension.Count => value.ToString("N0", Inv),
        UnitDimension.Rate => value.ToString("0.0", Inv) + "/s",
        UnitDimension.Ratio => value.ToString("0.####", Inv),
        UnitDimension.PercentagePoints => (value * 100).ToString("0.0#", Inv) + " pp",
        _ => (value * 100).ToString("0.0#", Inv) + "%",
    };

    public static string Percent(double relative) => (relative * 100).ToString("+0.0;-0.0;0.0", Inv) + "%";

    public static string Points(double fraction) => (fraction * 100).ToString("+0.00;-0.00;0.00", Inv) + " pp";

    /// <summary>A confidence level: 0.95 → "95%".</summary>
    public static string Level(double level) => (level * 100).ToString("0.#", Inv) + "%";

    /// <summary>A band or margin: 0.05 → "5%".</summary>
    public static string Band(double relative) => (relative * 100).ToString("0.#", Inv) + "%";
}
