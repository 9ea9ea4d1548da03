using System.Text;

namespace PipelineGate.Publish;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=F,line=L,title=T::message</c>), escaped the way
/// the runner unescapes them (actions/toolkit command.ts): in the message % CR LF, in properties also
/// ':' and ','. Without it a message with a newline ends the command early, and a title with a comma
/// starts a bogus property.
/// </summary>
public static class WorkflowCommands
{
    public static string EscapeData(string text) => text
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace("\r", "%0D", StringComparison.Ordinal)
        .Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string text) => EscapeData(text)
        .Replace(":", "%3A", StringComparison.Ordinal)
        .Replace(",", "%2C", StringComparison.Ordinal);

    /// <summary>One command line; properties with a null value are left out.</summary>
    public static string Format(string command, IEnumerable<(string Name, string? Value)> properties, string message)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var sb = new StringBuilder("::").Append(command);
        var first = true;
        foreach (var (name, value) in properties)
        {
            if (value is null)
            {
                continue;
            }

            sb.Append(first ? ' ' : ',').Append(name).Append('=').Append(EscapeProperty(value));
            first = false;
        }

        return sb.Append("::").Append(EscapeData(message)).ToString();
    }

    /// <summary>Hides the value in every later log line of the job.</summary>
    public static string AddMask(string secret) => "::add-mask::" + EscapeData(secret);
}
