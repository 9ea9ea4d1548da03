using System.Diagnostics;
using System.Reflection;

namespace PipelineGate.Cli.Tests;

/// <summary>Runs the real pipelinegate CLI in a child process, as users and CI do, and captures its output.</summary>
public static class CliProcess
{
    public static string RepoRoot { get; } = typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static string CliDll { get; } = Path.Combine(AppContext.BaseDirectory, "pipelinegate.dll");

    public static string Sample(params string[] parts) => Path.Combine([RepoRoot, "samples", .. parts]);

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>Runs with stdout and stderr redirected; <paramref name="environment"/> adds or (with a null value) removes variables.</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start("dotnet", [CliDll, .. args], workingDirectory, environment, closeInput: false);

    /// <summary>
    /// Runs the CLI with a pseudo-terminal as its stdout (util-linux 'script'), as when a user runs it in a
    /// terminal. Linux only. Returns what the terminal received.
    /// </summary>
    public static Result RunInTerminal(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", CliDll }.Concat(args).Select(static a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        // script forwards its stdin to the terminal: give it an empty one, not the test runner's.
        return Start("script", ["--quiet", "--return", "--command", command, "/dev/null"], workingDirectory, environment, closeInput: true);
    }

    private static Result Start(string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment, bool closeInput)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = closeInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        using var p = Process.Start(psi)!;
        if (closeInput)
        {
            p.StandardInput.Close();
        }

        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr);
    }
}
