using System.Diagnostics;
using System.Text;

namespace PipelineGate.MSBuild.Tests;

/// <summary>
/// Runs the real dotnet CLI in a child process. The environment is cleaned of the MSBuild variables that
/// `dotnet test` leaves behind (they would point the child at the parent's MSBuild), node reuse and the
/// compiler server are off so nothing outlives the test, and every run has a hard time limit.
/// </summary>
internal static class DotnetProcess
{
    public sealed record Result(int ExitCode, string Output, TimeSpan Duration)
    {
        public override string ToString() => $"exit {ExitCode} after {Duration.TotalSeconds:F1} s\n{Output}";
    }

    public static Result Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run("dotnet", workingDirectory, timeout, environment, args);

    /// <summary>Runs another program (e.g. an installed tool) with the same clean environment and time limit.</summary>
    public static Result Run(string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var key in psi.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            {
                psi.Environment.Remove(key);
            }
        }

        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var output = new StringBuilder();
        var started = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => Append(output, e.Data);
        p.ErrorDataReceived += (_, e) => Append(output, e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"'dotnet {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:F0} s. Output so far:\n{output}");
        }

        p.WaitForExit(); // flushes the asynchronous readers
        lock (output)
        {
            return new Result(p.ExitCode, output.ToString(), started.Elapsed);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
