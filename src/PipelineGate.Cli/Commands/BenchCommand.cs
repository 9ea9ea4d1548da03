using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Diagnostics;
using PipelineGate.IO;
using PipelineGate.Measure;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Inputs;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Statistics;
using PipelineGate.Report;
using PipelineGate.Runtime;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary><c>pipelinegate bench &lt;model&gt; [--baseline &lt;model&gt;]</c>: latency, throughput, cold start, memory and size.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model to measure (the candidate)." };
        var baseline = new Option<string?>("--baseline", "-b") { Description = "A baseline model: both are measured interleaved in this run and compared." };
        var provider = RunCommand.ProviderOption();
        var threads = RunCommand.ThreadsOption();
        var dims = RunCommand.DimOption();
        var inputs = new Option<string[]>("--input", "-i") { Description = "NAME=FILE inputs to time with (default: seeded random inputs)." };
        var duration = new Option<double>("--duration", "-d") { Description = "Seconds of timed inferences per model (default 10).", DefaultValueFactory = _ => 10 };
        var threshold = new Option<double>("--threshold") { Description = "Relative change below which a difference is 'Same' (default 0.05 = 5%).", DefaultValueFactory = _ => 0.05 };
        var extensions = new Option<int>("--extensions") { Description = "With --baseline: times an undecided comparison is extended by another --duration (default 2).", DefaultValueFactory = _ => 2 };
        var throughput = new Option<int>("--concurrency") { Description = "Also measure throughput with N concurrent requests (default 0: skip).", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "Write the result as JSON (schema pipelinegate/bench/v1) to this file." };
        var command = new Command("bench", "Measure latency (with confidence intervals), cold start, memory, size and optionally throughput; compare against a baseline A/B.")
        {
            model, baseline, provider, threads, dims, inputs, duration, threshold, extensions, throughput, json,
        };
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            var d = RunCommand.ParseDims(parse.GetValue(dims) ?? []);
            var session = SessionConfig.Default with { Provider = ProviderNames.ParseArgument(parse.GetValue(provider)), IntraOpThreads = parse.GetValue(threads), FreeDimensions = d };
            var seconds = parse.GetValue(duration);
            if (seconds <= 0 || double.IsNaN(seconds))
            {
                throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--duration must be positive; got {seconds}.");
            }

            if (parse.GetValue(extensions) < 0)
            {
                throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--extensions must be 0 or more; got {parse.GetValue(extensions)}.");
            }

            var options = new BenchOptions
            {
                Session = session,
                Latency = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MaxExtensions = parse.GetValue(extensions) },
                Comparison = ABOptions.Default with { Threshold = parse.GetValue(threshold) },
                ThroughputConcurrency = parse.GetValue(throughput),
            };
            var modelPath = parse.GetValue(model)!;
            var inputSpecs = parse.GetValue(inputs) ?? [];
            if (inputSpecs.Length > 0)
            {
                using var probe = InferenceSession.Create(modelPath, session);
                options = options with { Inputs = ModelInputs.Resolve(probe, inputSpecs, fillRandom: false, d) };
            }

            return Execute(modelPath, parse.GetValue(baseline), options, parse.GetValue(json));
        }));
        return command;
    }

    private static int Execute(string model, string? baseline, BenchOptions options, string? jsonPath)
    {
        BenchResult result = null!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var progress = new SynchronousProgress<(string Phase, double Fraction)>(p =>
                {
                    if (!tasks.TryGetValue(p.Phase, out var task))
                    {
                        task = tasks[p.Phase] = ctx.AddTask(p.Phase, maxValue: 1);
                    }

                    task.Value = p.Fraction;
                });
                result = ModelBenchmark.Run(model, baseline, options, progress);
            });

        BenchRenderer.Render(AnsiConsole.Console, result);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllText(jsonPath, MachineJson.Serialize(result));
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(jsonPath)}[/].");
        }

        return ExitCodes.Success;
    }
}
