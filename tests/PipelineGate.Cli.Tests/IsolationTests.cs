using System.Diagnostics;
using System.Text.Json;
using PipelineGate.Cli.Tests.Publish;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// Native faults: each model is measured in a worker process under a watchdog. A worker that hangs or dies
/// costs its own model only: the gate reports every other model, names the one lost, and exits 3.
/// </summary>
public sealed class IsolationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public IsolationTests()
    {
        File.WriteAllBytes(Path.Combine(_dir.Path, "endless_loop.onnx"), HostileModels.EndlessLoop());
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("digits"), Path.Combine(_dir.Path, "digits"));
        _dir.Write("pipelinegate.yml", """
            version: 1
            measure: { duration: 300ms, min-samples: 10 }
            models:
              - path: endless_loop.onnx
                name: endless
                budgets:
                  - { metric: file-size, max: 100 KB }
              - path: digits/digits_mlp.onnx
                name: digits
                budgets:
                  - { metric: file-size, max: 100 KB }
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_hanging_model_is_stopped_by_the_watchdog_and_the_other_model_is_reported()
    {
        var r = CliProcess.Run(_dir.Path, "check", "--model-timeout", "15s", "-o", "out");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("error PG3010", r.StdErr + r.StdOut, StringComparison.Ordinal);
        Assert.Contains("model 'endless' (variant 'original'", r.StdErr, StringComparison.Ordinal);
        AssertOtherModelReported("PG3010");
        Assert.Empty(Workers()); // the watchdog killed the worker, it does not linger
    }

    [Fact]
    public async Task A_worker_killed_mid_run_is_reported_as_a_crash_of_that_model()
    {
        // The worker is in ORT's Run on the endless Loop when it dies of SIGKILL, as the out-of-memory killer kills
        // a measurement. (The .NET runtime ignores a SIGABRT or SIGSEGV sent from outside; one raised inside ORT kills it.)
        using var gate = Start("check", "--model-timeout", "120s", "-o", "out");
        var worker = WaitForWorker(TimeSpan.FromSeconds(60));
        Thread.Sleep(1500); // into the measurement
        Signal(worker, "KILL");
        var stdout = gate.StandardOutput.ReadToEndAsync();
        var stderr = await gate.StandardError.ReadToEndAsync();
        Assert.True(gate.WaitForExit(60_000));

        Assert.Equal(3, gate.ExitCode);
        Assert.Contains("error PG3009", stderr, StringComparison.Ordinal);
        Assert.Contains("model 'endless'", stderr, StringComparison.Ordinal);
        Assert.Contains("signal 9, SIGKILL", stderr, StringComparison.Ordinal);
        _ = await stdout;
        AssertOtherModelReported("PG3009");
    }

    [Fact]
    public void Isolation_off_measures_in_process()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "only-digits.yml"), """
            version: 1
            measure: { duration: 300ms, min-samples: 10 }
            models:
              - path: digits/digits_mlp.onnx
                name: digits
                budgets:
                  - { metric: file-size, max: 100 KB }
            """);
        var r = CliProcess.Run(_dir.Path, new Dictionary<string, string?> { ["PIPELINEGATE_ISOLATION"] = "off" }, "check", "-c", "only-digits.yml", "-o", "out-off");

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("pipelinegate-worker-progress", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "out-off", ".work", "workers")));
    }

    [Fact]
    public void An_unknown_isolation_mode_is_a_usage_error()
    {
        var r = CliProcess.Run(_dir.Path, "check", "--isolation", "thread", "-o", "out");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG1010", r.StdErr, StringComparison.Ordinal);
    }

    private void AssertOtherModelReported(string code)
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "out", "results.json")));
        var models = results.RootElement.GetProperty("models").EnumerateArray().Select(static m => m.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["digits"], models);
        var notice = results.RootElement.GetProperty("notices").EnumerateArray().Single(static n => n.GetProperty("severity").GetString() == "error");
        Assert.Equal(code, "PG" + ((int)Enum.Parse<Diagnostics.PgCode>(notice.GetProperty("code").GetString()!, ignoreCase: true)).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        var junit = File.ReadAllText(Path.Combine(_dir.Path, "out", "junit.xml"));
        Assert.Contains($"<error type=\"{code}\"", junit, StringComparison.Ordinal);
        Assert.Contains(code, File.ReadAllText(Path.Combine(_dir.Path, "out", "report.md")), StringComparison.Ordinal);
    }

    private Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliProcess.CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        return Process.Start(psi)!;
    }

    private int[] Workers() => IsolationTestsSupport.Workers(_dir.Path);

    private int WaitForWorker(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Workers() is [var pid, ..])
            {
                return pid;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException("No measurement worker started.");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
