using System.Diagnostics;
using System.Globalization;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The gate-aa repository (the sample committed to a fresh git repository, optionally with Sin ops on the
/// candidate) gated by the real CLI in interleaved pairs, one run with <c>--isolation process</c> (each model in a
/// worker under the watchdog) and one with <c>--isolation off</c>, the order alternating per pair. Usage:
///   gate-aa-isolation CLI-DLL [pairs=10] [profile=pr|-] [sin-ops=0] [model=digits|ocr-rec]
/// With model=ocr-rec the repository holds the PP-OCRv4 recognizer (GateAA's registry config; its profile
/// <c>ab</c> is the measurement-quality harness's setting: 1.5 s per model, 5% threshold, a +5% p50 budget), so
/// the A/A and +8–10% runs of <c>measurement-quality</c> can be repeated through the gate's worker process.
/// Prints each run's outcome (warned/failed checks) and wall time, then per mode the runs with a warning or a
/// failure and the median and range of the wall time, and the median and range of the paired difference: the
/// extra cost of the worker per gate run (one model here).
/// </summary>
internal static class GateAAIsolation
{
    public static int Run(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("gate-aa-isolation: the first argument is the CLI's pipelinegate.dll (build src/PipelineGate.Cli -c Release)");
            return 2;
        }

        var modelName = args.FirstOrDefault(static a => a.StartsWith("model=", StringComparison.Ordinal))?["model=".Length..] ?? "digits";
        args = [.. args.Where(static a => !a.StartsWith("model=", StringComparison.Ordinal))];
        if (modelName is not ("digits" or "ocr-rec"))
        {
            Console.Error.WriteLine($"gate-aa-isolation: unknown model '{modelName}' (digits or ocr-rec)");
            return 2;
        }

        var cli = Path.GetFullPath(args[0]);
        var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var profile = args.Length > 2 && args[2] != "-" ? args[2] : "pr";
        var sinOps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        var root = Path.Combine(Path.GetTempPath(), "pg-gate-aa-iso-" + Guid.NewGuid().ToString("N")[..8]);
        var model = GateAA.Prepare(root, sinOps, modelName);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gate-aa-isolation: {pairs} pairs of `check --baseline-ref HEAD --profile {profile}` on {model}{(sinOps > 0 ? $" (candidate +{sinOps} Sin ops)" : " (unchanged)")}, {cli}"));
        var modes = new[] { "process", "off" };
        var seconds = modes.ToDictionary(static m => m, static _ => new List<double>(), StringComparer.Ordinal);
        var warned = modes.ToDictionary(static m => m, static _ => 0, StringComparer.Ordinal);
        var failed = modes.ToDictionary(static m => m, static _ => 0, StringComparer.Ordinal);
        // The original's latency.p50 regression check alone: the A/B verdict through the gate (other checks, such as
        // file-size on a candidate with Sin ops, fail for their own reasons).
        var p50Outcomes = modes.ToDictionary(static m => m, static _ => new Dictionary<CheckOutcome, int>(), StringComparer.Ordinal);
        var p50Changes = modes.ToDictionary(static m => m, static _ => new List<double>(), StringComparer.Ordinal);
        for (var i = 0; i < pairs; i++)
        {
            foreach (var mode in i % 2 == 0 ? modes : modes.Reverse())
            {
                var (elapsed, result) = Gate(cli, root, profile, mode, i);
                seconds[mode].Add(elapsed);
                warned[mode] += result.Summary.Warned > 0 ? 1 : 0;
                failed[mode] += result.Summary.Failed > 0 ? 1 : 0;
                foreach (var c in result.Checks.Where(static c => c.Metric == "latency.p50" && c.Kind == BudgetKind.Regression && c.Variant == "original"))
                {
                    p50Outcomes[mode][c.Outcome] = p50Outcomes[mode].GetValueOrDefault(c.Outcome) + 1;
                    p50Changes[mode].Add(c.Delta ?? double.NaN);
                }

                var p50 = string.Join("; ", result.Checks.Where(static c => c.Metric == "latency.p50" && c.Kind == BudgetKind.Regression)
                    .Select(static c => string.Create(CultureInfo.InvariantCulture, $"{c.Variant} {c.Outcome} {c.Delta * 100:+0.0;-0.0}% [{c.DeltaLower * 100:+0.0;-0.0} … {c.DeltaUpper * 100:+0.0;-0.0}]{(c.Remeasured ? " re-measured" : "")}")));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pair {i + 1,2} {mode,-7}: {elapsed:0.00} s, {result.Summary.Outcome} (warned {result.Summary.Warned}, failed {result.Summary.Failed}); p50: {p50}"));
            }
        }

        foreach (var mode in modes)
        {
            var s = seconds[mode].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"isolation {mode}: runs with a warning {warned[mode]}/{pairs}, with a failure {failed[mode]}/{pairs}; wall time median {Median(s):0.00} s (range {s[0]:0.00} … {s[^1]:0.00})"));
            var d = p50Changes[mode].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  original latency.p50 check: pass {p50Outcomes[mode].GetValueOrDefault(CheckOutcome.Pass)}, warn {p50Outcomes[mode].GetValueOrDefault(CheckOutcome.Warn)}, fail {p50Outcomes[mode].GetValueOrDefault(CheckOutcome.Fail)}; change median {Median(d) * 100:+0.0;-0.0}% (range {d[0] * 100:+0.0;-0.0} … {d[^1] * 100:+0.0;-0.0}%)"));
        }

        var diff = seconds["process"].Zip(seconds["off"], static (p, o) => p - o).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paired difference process - off (the worker's cost for one model): median {Median(diff):+0.00;-0.00} s (range {diff[0]:+0.00;-0.00} … {diff[^1]:+0.00;-0.00})"));
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static (double Seconds, GateResult Result) Gate(string cli, string root, string profile, string mode, int pair)
    {
        var outDir = Path.Combine(root, $"out-{mode}-{pair.ToString(CultureInfo.InvariantCulture)}");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "check", "-c", "pipelinegate.yml", "--baseline-ref", "HEAD", "--profile", profile, "--isolation", mode, "-o", outDir })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var elapsed = clock.Elapsed.TotalSeconds;
        var results = Path.Combine(outDir, "results.json");
        if (p.ExitCode is not (0 or 1) || !File.Exists(results))
        {
            throw new InvalidOperationException($"check --isolation {mode} exited {p.ExitCode}: {stderr.Result}");
        }

        return (elapsed, ResultsFile.Parse(File.ReadAllText(results), results));
    }

    private static double Median(double[] sorted) => sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
