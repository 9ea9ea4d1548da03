using System.Text.Json;

namespace PipelineGate.Cli.Tests.AzureDevOps;

/// <summary>tasks/PipelineGateV1/task.json, read for the contract tests.</summary>
internal static class TaskManifest
{
    /// <summary>Inputs the handler spends on installing and placing the tool; every other input is a 'check' option.</summary>
    public static readonly string[] InstallOnly = ["workingDirectory", "version", "flavour", "feed"];

    public static string Folder => Path.Combine(CliProcess.RepoRoot, "tasks");

    public static JsonDocument Read() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "PipelineGateV1", "task.json")));

    public static IReadOnlyList<JsonElement> Inputs(JsonDocument task) => [.. task.RootElement.GetProperty("inputs").EnumerateArray()];

    public static string Name(JsonElement input) => input.GetProperty("name").GetString()!;

    public static string Default(JsonElement input) => input.TryGetProperty("defaultValue", out var d) ? d.GetString()! : "";

    public static string[] Options(JsonElement input) =>
        input.TryGetProperty("options", out var o) ? [.. o.EnumerateObject().Select(static p => p.Name)] : [];

    /// <summary>camelCase input → kebab-case option: baselineRef → --baseline-ref.</summary>
    public static string Kebab(string camel) =>
        string.Concat(camel.Select(static (c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
