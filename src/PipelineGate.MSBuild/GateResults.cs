using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.MSBuild.Resources;

namespace PipelineGate.MSBuild;

/// <summary>
/// Reads the CLI's results.json (schema pipelinegate/results/v1) into the messages the task logs: every
/// failed check an error (a warning under --warn-only), every warned check and warning notice a warning,
/// skipped checks and info notices messages. Passing checks are left to the reports.
/// </summary>
internal static class GateResults
{
    public const string Schema = "pipelinegate/results/v1";

    public static List<GateMessage> Read(string path)
    {
        if (JsonText.Parse(File.ReadAllText(path)) is not Dictionary<string, object?> root)
        {
            throw new FormatException("the document is not a JSON object.");
        }

        // A CLI given through PipelineGateCliPath may be newer than the task: a v2 file is not read as v1.
        if (Text(root, "schema") is { } schema && schema != Schema)
        {
            throw new FormatException($"its schema is '{schema}', and this task reads '{Schema}'. Use a PipelineGate.MSBuild package that matches the CLI.");
        }

        var warnOnly = root.TryGetValue("warnOnly", out var w) && w is true;
        var messages = new List<GateMessage>();
        foreach (var check in Objects(root, "checks"))
        {
            var severity = Text(check, "outcome") switch
            {
                "fail" => warnOnly ? GateSeverity.Warning : GateSeverity.Error,
                "warn" => GateSeverity.Warning,
                "skipped" => GateSeverity.Message,
                _ => (GateSeverity?)null,
            };
            if (severity is { } s)
            {
                var text = string.Format(CultureInfo.InvariantCulture, Strings.CheckSubject, Subject(check), Text(check, "message") ?? "");
                messages.Add(new GateMessage(s, CodeOf(check), text, Text(check, "file"), Int(check, "line"), Int(check, "column")));
            }
        }

        foreach (var notice in Objects(root, "notices"))
        {
            var severity = Text(notice, "severity") switch
            {
                "error" => GateSeverity.Error,
                "warning" => GateSeverity.Warning,
                _ => GateSeverity.Message,
            };
            var text = Text(notice, "message") ?? "";
            if (Text(notice, "hint") is { Length: > 0 } hint)
            {
                text += " " + hint;
            }

            messages.Add(new GateMessage(severity, CodeOf(notice), text, Text(notice, "file"), Int(notice, "line"), Int(notice, "column")));
        }

        return messages;
    }

    /// <summary>
    /// "PG4201" from <c>codeText</c>; from <c>code</c> when that is already printed form; else the enum name
    /// in <c>code</c> ("sizeOverBudget") mapped through <see cref="PgCode"/>, for CLIs that predate codeText.
    /// </summary>
    internal static string? CodeOf(Dictionary<string, object?> entry)
    {
        if (Text(entry, "codeText") is { Length: > 0 } printed)
        {
            return printed;
        }

        var code = Text(entry, "code");
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        if (code!.StartsWith("PG", StringComparison.Ordinal))
        {
            return code;
        }

        return Enum.TryParse<PgCode>(code, ignoreCase: true, out var value) && Enum.IsDefined(typeof(PgCode), value)
            ? "PG" + ((int)value).ToString("D4", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>digits/int8/cpu, without the target for target-independent metrics ("—").</summary>
    private static string Subject(Dictionary<string, object?> check)
    {
        var subject = (Text(check, "model") ?? "?") + "/" + (Text(check, "variant") ?? "?");
        var target = Text(check, "target");
        return string.IsNullOrEmpty(target) || target == "—" ? subject : subject + "/" + target;
    }

    private static IEnumerable<Dictionary<string, object?>> Objects(Dictionary<string, object?> root, string name) =>
        root.TryGetValue(name, out var value) && value is List<object?> list
            ? list.OfType<Dictionary<string, object?>>()
            : Enumerable.Empty<Dictionary<string, object?>>();

    private static string? Text(Dictionary<string, object?> entry, string name) =>
        entry.TryGetValue(name, out var value) ? value as string : null;

    private static int Int(Dictionary<string, object?> entry, string name) =>
        entry.TryGetValue(name, out var value) && value is double d && d >= 1 && d <= int.MaxValue ? (int)d : 0;
}
