using System.Globalization;
using System.Text;

namespace PipelineGate.Diagnostics;

/// <summary>
/// One coded, user-facing message. Rendered the way MSBuild and editors parse it:
/// <c>file(line,col): error PG2004: message</c>, so that it is clickable and can be suppressed or elevated.
/// </summary>
/// <param name="Code">The PG code.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Message">What is wrong and what was expected.</param>
/// <param name="File">The file concerned, if any.</param>
/// <param name="Line">1-based line, if known.</param>
/// <param name="Column">1-based column, if known.</param>
/// <param name="Hint">What to do about it.</param>
public sealed record Diagnostic(
    PgCode Code,
    DiagnosticSeverity Severity,
    string Message,
    string? File = null,
    int? Line = null,
    int? Column = null,
    string? Hint = null)
{
    /// <summary>The code as printed: <c>PG2004</c>.</summary>
    public string CodeText => FormatCode(Code);

    public static string FormatCode(PgCode code) => "PG" + ((int)code).ToString("D4", CultureInfo.InvariantCulture);

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(File))
        {
            sb.Append(File);
            if (Line is { } line)
            {
                sb.Append('(').Append(line.ToString(CultureInfo.InvariantCulture));
                if (Column is { } col)
                {
                    sb.Append(',').Append(col.ToString(CultureInfo.InvariantCulture));
                }

                sb.Append(')');
            }

            sb.Append(": ");
        }

        sb.Append(Severity switch
        {
            DiagnosticSeverity.Error => "error ",
            DiagnosticSeverity.Warning => "warning ",
            _ => "info ",
        });
        sb.Append(CodeText).Append(": ").Append(Message);
        if (!string.IsNullOrEmpty(Hint))
        {
            sb.Append(' ').Append(Hint);
        }

        return sb.ToString();
    }
}
