using System.Reflection;

namespace PipelineGate.Cli;

/// <summary>The tool's version and how to reproduce a run locally.</summary>
internal static class ToolInfo
{
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string ReproduceCommand(Commands.CheckCommand.CheckArguments a)
    {
        var parts = new List<string> { "pipelinegate check" };
        if (!string.IsNullOrEmpty(a.Config))
        {
            parts.Add($"--config {a.Config}");
        }

        if (a.Profile is not null)
        {
            parts.Add($"--profile {a.Profile}");
        }

        if (a.BaselineRef is not null)
        {
            parts.Add($"--baseline-ref {a.BaselineRef}");
        }

        if (a.BaselineResults is not null)
        {
            parts.Add($"--baseline-results {a.BaselineResults}");
        }

        return string.Join(' ', parts);
    }
}
