using System.Diagnostics;

namespace PipelineGate.MSBuild;

/// <summary>
/// Runs <c>pipelinegate inputs --config X</c>, which prints every file the gate reads (config, models,
/// external data, evaluation and calibration data), one absolute path per line. The CLI owns that list:
/// the task never parses the config itself, so the two cannot disagree about what a gate depends on.
/// </summary>
internal sealed class InputsQuery
{
    private readonly object _gate = new();
    private Process? _process;
    private bool _cancelled;

    public sealed class Outcome
    {
        public Outcome(IReadOnlyList<string>? files, int exitCode, bool timedOut, string errorText)
        {
            Files = files;
            ExitCode = exitCode;
            TimedOut = timedOut;
            ErrorText = errorText;
        }

        /// <summary>The listed files, or null when the listing failed.</summary>
        public IReadOnlyList<string>? Files { get; }

        public int ExitCode { get; }

        public bool TimedOut { get; }

        public string ErrorText { get; }
    }

    public Outcome Run(CliCommand cli, string config, string workingDirectory, TimeSpan timeout)
    {
        var psi = cli.StartInfo(workingDirectory, "inputs", "--config", config);
        psi.EnvironmentVariables["NO_COLOR"] = "1";
        using var process = new Process { StartInfo = psi };
        lock (_gate)
        {
            if (_cancelled)
            {
                return new Outcome(null, -1, false, "cancelled");
            }

            process.Start();
            _process = process;
        }

        try
        {
            // Both streams are drained concurrently; reading one to the end first can deadlock on a full pipe.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                Kill(process);
                return new Outcome(null, -1, true, "");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                return new Outcome(null, process.ExitCode, false, stderr.Result);
            }

            var files = stdout.Result
                .Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(static l => l.Trim())
                .Where(static l => l.Length > 0)
                .ToList();
            return new Outcome(files, 0, false, stderr.Result);
        }
        finally
        {
            lock (_gate)
            {
                _process = null;
            }
        }
    }

    /// <summary>Called from the task's Cancel (another thread): stops a listing in progress.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancelled = true;
            if (_process is { } p)
            {
                Kill(p);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }
}
