using System.Globalization;
using System.Text.RegularExpressions;

namespace PipelineGate.MSBuild;

/// <summary>
/// Parses the CLI's stderr diagnostics, <c>file(line,col): error PG1004: message hint</c> (the form of
/// PipelineGate.Diagnostics.Diagnostic.ToString). They matter when the CLI stops before writing
/// results.json (exit 2 or 3): they are then the only account of what went wrong.
/// </summary>
internal static class CanonicalLine
{
    // The origin is optional (no file for a bad argument); the file match is lazy so that a Windows drive
    // colon or parentheses in a folder name stay part of the path.
    private static readonly Regex Pattern = new(
        @"^(?:(?<file>.+?)(?:\((?<line>\d+)(?:,(?<col>\d+))?\))?: )?(?<sev>error|warning|info) (?<code>PG\d{4}): (?<text>.*)$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    public static GateMessage? TryParse(string line)
    {
        var m = Pattern.Match(line.TrimEnd());
        if (!m.Success)
        {
            return null;
        }

        var severity = m.Groups["sev"].Value switch
        {
            "error" => GateSeverity.Error,
            "warning" => GateSeverity.Warning,
            _ => GateSeverity.Message,
        };
        var file = m.Groups["file"].Success ? m.Groups["file"].Value : null;
        return new GateMessage(severity, m.Groups["code"].Value, m.Groups["text"].Value, file, Number(m.Groups["line"]), Number(m.Groups["col"]));
    }

    private static int Number(Group g) =>
        g.Success && int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
