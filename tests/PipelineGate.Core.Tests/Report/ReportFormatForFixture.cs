using System.Globalization;

namespace PipelineGate.Tests.Report;

/// <summary>The fixture's messages are written by "the engine", so they format numbers themselves, invariantly.</summary>
internal static class ReportFormatForFixture
{
    public static string Percent(double relative) => (relative >= 0 ? "+" : "−") + Math.Abs(relative * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
