using PipelineGate.Gate.Config;
using PipelineGate.Report;

namespace PipelineGate.Gate.Judging;

/// <summary>Base units of metric values, and their text in messages (numbers through <see cref="ReportFormat"/>).</summary>
internal static class Units
{
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
        UnitDimension.Time => value < 0.1 ? ReportFormat.Number(value * 1000, "0.0#") + " µs" : ReportFormat.Number(value, value < 100 ? "0.00#" : "0.0") + " ms",
        UnitDimension.Bytes => ReportFormat.Number(value, "#,0") + " B",
        UnitDimension.Count => ReportFormat.Number(value, "#,0"),
        UnitDimension.Rate => ReportFormat.Number(value, "0.0") + "/s",
        UnitDimension.Ratio => ReportFormat.Number(value, "0.####"),
        UnitDimension.PercentagePoints => ReportFormat.Number(value * 100, "0.0#") + " pp",
        _ => ReportFormat.Number(value * 100, "0.0#") + "%",
    };

    public static string Percent(double relative) => ReportFormat.SignedPercent(relative);

    public static string Points(double fraction) => ReportFormat.SignedPp(fraction);

    /// <summary>A confidence level: 0.95 → "95%".</summary>
    public static string Level(double level) => ReportFormat.Level(level);

    /// <summary>A band or margin: 0.05 → "5%".</summary>
    public static string Band(double relative) => ReportFormat.Level(relative);
}
