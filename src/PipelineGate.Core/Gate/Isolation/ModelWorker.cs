using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;

namespace PipelineGate.Gate.Isolation;

/// <summary>
/// Measures one model in a worker process under a watchdog. The worker's stderr carries progress lines
/// (<see cref="WorkerProgress"/>) and anything native code prints; its outcome comes back through
/// <see cref="WorkerFiles"/>. A worker that dies (abort, segfault, OOM kill) or overruns the watchdog
/// becomes one coded error naming the model, the variant and the phase it was in.
/// </summary>
public static class ModelWorker
{
    private const int TailLines = 12;

    public static WorkerOutcome Run(ModelConfig model, ModelIsolation isolation, string workFolder, IProgress<GateProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(isolation);
        Directory.CreateDirectory(workFolder);
        var files = WorkerFiles.In(workFolder, model.Name);
        try
        {
            return RunWorker(model, isolation, files, progress);
        }
        finally
        {
            files.Delete();
        }
    }

    private static WorkerOutcome RunWorker(ModelConfig model, ModelIsolation isolation, WorkerFiles files, IProgress<GateProgress>? progress)
    {
        var psi = isolation.Worker(model.Name, files);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;

        GateProgress? last = null;
        var tail = new Queue<string>();
        var gate = new object();
        using var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (WorkerProgress.Parse(e.Data) is { } p)
            {
                lock (gate)
                {
                    last = p;
                }

                progress?.Report(p);
                return;
            }

            lock (gate)
            {
                tail.Enqueue(e.Data);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }
        };
        process.OutputDataReceived += static (_, _) => { };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return WorkerOutcome.Failed(Error(PgCode.MeasurementWorkerFailed, model,
                $"The measurement worker for model '{model.Name}' could not start ({psi.FileName}: {ex.Message}).", null,
                "Run with --isolation off to measure in the gate's own process, and report this."));
        }

        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        var finished = process.WaitForExit(isolation.Timeout);
        if (!finished)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended between the timeout and the kill.
            }

            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // drains the redirected streams
        }

        string[] stderrTail;
        GateProgress? where;
        lock (gate)
        {
            stderrTail = [.. tail];
            where = last;
        }

        if (!finished)
        {
            return WorkerOutcome.Failed(Error(PgCode.MeasurementTimedOut, model,
                $"The measurement of model '{model.Name}'{At(where)} did not finish within {Seconds(isolation.Timeout)} (the watchdog stopped it after {Seconds(clock.Elapsed)}): ONNX Runtime hangs or runs far longer than the budget allows on this graph. The other models are reported.",
                stderrTail,
                "Check the model with 'pipelinegate bench' on its own; if it is just slow, raise the bound with --model-timeout (or PIPELINEGATE_MODEL_TIMEOUT)."));
        }

        if (File.Exists(files.Errors))
        {
            return WorkerOutcome.Stopped(ReadErrors(files.Errors));
        }

        if (process.ExitCode == 0 && File.Exists(files.Result))
        {
            try
            {
                return WorkerOutcome.Completed(ResultsFile.Parse(File.ReadAllText(files.Result), files.Result));
            }
            catch (PipelineGateException ex)
            {
                return WorkerOutcome.Failed(Error(PgCode.MeasurementWorkerFailed, model,
                    $"The measurement worker for model '{model.Name}' wrote a result that cannot be read ({ex.Diagnostic.Message}).", stderrTail,
                    "Report this with the output above; --isolation off measures in the gate's own process."));
            }
        }

        var code = process.ExitCode;
        if (code > 128 && code < 128 + 65 || code == 134)
        {
            return WorkerOutcome.Failed(Error(PgCode.MeasurementCrashed, model,
                $"The measurement of model '{model.Name}'{At(where)} crashed: the worker process ended with {Signal(code)} and no result. ONNX Runtime (or another native library) faulted on this graph. The other models are reported.",
                stderrTail,
                "Reproduce it with 'pipelinegate bench' on the variant's file, or with --isolation off to see the native output directly; try another ONNX Runtime version, or simplify the graph around the op named in the output."));
        }

        return WorkerOutcome.Failed(Error(PgCode.MeasurementWorkerFailed, model,
            $"The measurement worker for model '{model.Name}'{At(where)} ended with exit code {code.ToString(CultureInfo.InvariantCulture)} and no result.",
            stderrTail, "The worker's last output is above; --isolation off measures in the gate's own process. If this is not a crash of your model, report it."));
    }

    private static IReadOnlyList<Diagnostic> ReadErrors(string path)
    {
        var list = JsonSerializer.Deserialize<List<Diagnostic>>(File.ReadAllText(path), ResultsFile.ReadOptions);
        return list is { Count: > 0 } ? list : [new Diagnostic(PgCode.MeasurementWorkerFailed, DiagnosticSeverity.Error, "The measurement worker reported an error without a diagnostic.", path)];
    }

    private static Diagnostic Error(PgCode code, ModelConfig model, string message, IReadOnlyList<string>? tail, string hint)
    {
        var output = tail is { Count: > 0 } ? " Last worker output: " + string.Join(" | ", tail.Select(static l => l.Trim()).Where(static l => l.Length > 0)) : "";
        return new Diagnostic(code, DiagnosticSeverity.Error, message + output, model.Path, Hint: hint);
    }

    private static string At(GateProgress? p) => p is null ? "" : $" (variant '{p.Variant}', {p.Phase})";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    /// <summary>The Unix convention: 128 + N is death by signal N (.NET reports a native abort as 134).</summary>
    private static string Signal(int code)
    {
        var n = code - 128;
        var name = n switch
        {
            4 => "SIGILL",
            6 => "SIGABRT",
            7 => "SIGBUS",
            8 => "SIGFPE",
            9 => "SIGKILL (often the out-of-memory killer)",
            11 => "SIGSEGV",
            15 => "SIGTERM",
            _ => null,
        };
        return $"exit code {code.ToString(CultureInfo.InvariantCulture)} (signal {n.ToString(CultureInfo.InvariantCulture)}{(name is null ? "" : ", " + name)})";
    }
}
