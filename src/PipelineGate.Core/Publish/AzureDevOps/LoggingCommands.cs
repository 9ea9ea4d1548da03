using System.Text;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Azure Pipelines logging commands (<c>##vso[area.action prop=value;…]message</c>), escaped the way the
/// agent unescapes them: '%' → %AZP25, ';' → %3B, ']' → %5D, CR → %0D, LF → %0A, in properties and in the
/// message. Without it a ']' in a model name ends the property list early, and a newline ends the command.
/// The CLI never writes task.complete: the task handler alone sets the step's result.
/// </summary>
public static class LoggingCommands
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text
            .Replace("%", "%AZP25", StringComparison.Ordinal)
            .Replace(";", "%3B", StringComparison.Ordinal)
            .Replace("]", "%5D", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);
    }

    /// <summary>One command line; properties with a null value are left out.</summary>
    public static string Format(string command, IEnumerable<(string Name, string? Value)> properties, string message)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(message);
        var sb = new StringBuilder("##vso[").Append(command);
        var first = true;
        foreach (var (name, value) in properties)
        {
            if (value is null)
            {
                continue;
            }

            sb.Append(first ? ' ' : ';').Append(name).Append('=').Append(Escape(value));
            first = false;
        }

        return sb.Append(']').Append(Escape(message)).ToString();
    }

    /// <summary>An error or warning on the run's page, at a file and line when given.</summary>
    public static string LogIssue(bool isError, string message, string? sourcePath = null, int? line = null, int? column = null, string? code = null) =>
        Format("task.logissue", [("type", isError ? "error" : "warning"), ("sourcepath", sourcePath),
            ("linenumber", line is { } l ? Number(l) : null), ("columnnumber", column is { } c ? Number(c) : null), ("code", code)], message);

    /// <summary>Attaches a Markdown file to the run's Extensions tab; the agent wants an absolute path.</summary>
    /// <summary>Tells the agent to mask <paramref name="secret"/> in every later log line (the agent's own masking, as add-mask on GitHub).</summary>
    public static string SetSecret(string secret) => Format("task.setsecret", [], secret);

    public static string UploadSummary(string path) => Format("task.uploadsummary", [], Path.GetFullPath(path));

    /// <summary>Publishes JUnit files as a test run of the build.</summary>
    public static string PublishJUnit(string path, string runTitle) =>
        Format("results.publish", [("type", "JUnit"), ("mergeResults", "false"), ("runTitle", runTitle), ("resultFiles", Path.GetFullPath(path))], string.Empty);

    /// <summary>Sets a pipeline variable; a secret is masked in every later log line and kept out of the environment.</summary>
    public static string SetVariable(string name, string value, bool isSecret, bool isOutput = false) =>
        Format("task.setvariable", [("variable", name), ("isOutput", isOutput ? "true" : null), ("issecret", isSecret ? "true" : "false")], value);

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
