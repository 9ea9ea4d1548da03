using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Isolation;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>--isolation process|off</c> and <c>--model-timeout</c> of <c>check</c> (environment:
/// PIPELINEGATE_ISOLATION, PIPELINEGATE_MODEL_TIMEOUT), and the worker command line the gate re-invokes
/// itself with. "off" measures in the gate's own process: for debugging native output, not for CI.
/// </summary>
internal static class IsolationOptions
{
    public const string ModeVariable = "PIPELINEGATE_ISOLATION";
    public const string TimeoutVariable = "PIPELINEGATE_MODEL_TIMEOUT";

    public static Option<string?> Mode() => new("--isolation")
    {
        Description = "process (default): measure each model in a worker process under a watchdog, so an ONNX Runtime crash or hang costs that model only; off: in this process (debugging).",
    };

    public static Option<string?> Timeout() => new("--model-timeout")
    {
        Description = "Watchdog bound per model with --isolation process, e.g. 90s, 20m (default 15m).",
    };

    /// <summary>The isolation for a check run, or null when it is off. The worker gets the same config, profile, baseline and target.</summary>
    public static ModelIsolation? Resolve(string? mode, string? timeout, Func<string, WorkerFiles, IReadOnlyList<string>> workerArguments)
    {
        mode ??= Environment.GetEnvironmentVariable(ModeVariable);
        mode = string.IsNullOrWhiteSpace(mode) ? "process" : mode.Trim().ToLowerInvariant();
        if (mode is "off")
        {
            return null;
        }

        if (mode is not "process")
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"Isolation '{mode}' is not one of: process, off (--isolation or {ModeVariable}).");
        }

        timeout ??= Environment.GetEnvironmentVariable(TimeoutVariable);
        var bound = string.IsNullOrWhiteSpace(timeout) ? ModelIsolation.DefaultTimeout : ParseDuration(timeout.Trim());
        return new ModelIsolation((model, files) => Self(workerArguments(model, files)), bound);
    }

    internal static TimeSpan ParseDuration(string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, _ => double.NaN };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(scale) || value <= 0 || value * scale > 7 * 24 * 3600)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"Model timeout '{text}' is not a positive duration such as 90s, 20m or 1h (--model-timeout or {TimeoutVariable}).");
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>This CLI again: the apphost directly, or 'dotnet pipelinegate.dll' when it runs under the muxer.</summary>
    private static ProcessStartInfo Self(IReadOnlyList<string> arguments)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(host);
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(IsolationOptions).Assembly.Location);
        }

        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        // A worker runs the model, never a publisher: it gets no token (a hostile graph's native code learns nothing).
        foreach (var secret in new[] { Publish.GitHub.GitHubContext.TokenVariable, Publish.AzureDevOps.AzureDevOpsContext.TokenVariable })
        {
            psi.Environment.Remove(secret);
        }

        return psi;
    }
}
