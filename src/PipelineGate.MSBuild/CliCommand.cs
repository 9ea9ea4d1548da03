using System.Diagnostics;
using System.Text;

namespace PipelineGate.MSBuild;

/// <summary>
/// How to start the CLI: <c>dotnet pipelinegate.dll ...</c> for the packaged (framework-dependent) CLI or a
/// .dll given in PipelineGateCliPath, or the executable itself otherwise. The host is the dotnet that runs
/// this build (DOTNET_HOST_PATH, set by the .NET SDK for MSBuild nodes), else the first on PATH.
/// </summary>
internal sealed class CliCommand
{
    private CliCommand(string cliPath, string? host)
    {
        CliPath = cliPath;
        Host = host;
    }

    /// <summary>The CLI as given: a .dll or an executable, full path.</summary>
    public string CliPath { get; }

    /// <summary>The dotnet host for a .dll CLI, or null when the CLI is an executable.</summary>
    public string? Host { get; }

    public bool IsDll => Host is not null;

    /// <summary>What to start: the host or the executable.</summary>
    public string FileName => Host ?? CliPath;

    public static CliCommand For(string cliPath, string? hostFromEnvironment, string? pathVariable)
    {
        if (!cliPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return new CliCommand(cliPath, null);
        }

        return new CliCommand(cliPath, FindHost(hostFromEnvironment, pathVariable) ?? HostName);
    }

    /// <summary>The command line after <see cref="FileName"/>: the dll (when hosted) and the arguments, quoted.</summary>
    public string Arguments(params string[] args)
    {
        var sb = new StringBuilder();
        if (IsDll)
        {
            Append(sb, CliPath);
        }

        foreach (var a in args)
        {
            Append(sb, a);
        }

        return sb.ToString();
    }

    private static string HostName => Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet";

    private static string? FindHost(string? hostFromEnvironment, string? pathVariable)
    {
        if (!string.IsNullOrEmpty(hostFromEnvironment) && File.Exists(hostFromEnvironment))
        {
            return hostFromEnvironment;
        }

        foreach (var dir in (pathVariable ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            try
            {
                var candidate = Path.Combine(dir.Trim('"'), HostName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            catch (ArgumentException)
            {
                // PATH may hold anything; a malformed entry is not ours to report.
            }
        }

        return null;
    }

    /// <summary>
    /// Quotes one argument the way both the Windows CRT and .NET's argument parser split it back
    /// (backslashes double only before a quote). Paths with spaces are the common case here.
    /// </summary>
    internal static void Append(StringBuilder sb, string arg)
    {
        if (sb.Length > 0)
        {
            sb.Append(' ');
        }

        if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '"' }) < 0)
        {
            sb.Append(arg);
            return;
        }

        sb.Append('"');
        var backslashes = 0;
        foreach (var c in arg)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                sb.Append('\\', (backslashes * 2) + 1);
            }
            else
            {
                sb.Append('\\', backslashes);
            }

            backslashes = 0;
            sb.Append(c);
        }

        sb.Append('\\', backslashes * 2);
        sb.Append('"');
    }

    /// <summary>A start info for a short helper run (the inputs listing): redirected, no window, UTF-8.</summary>
    public ProcessStartInfo StartInfo(string workingDirectory, params string[] args) => new(FileName, Arguments(args))
    {
        WorkingDirectory = workingDirectory,
        UseShellExecute = false,
        CreateNoWindow = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        StandardOutputEncoding = Encoding.UTF8,
        StandardErrorEncoding = Encoding.UTF8,
    };
}
