using System.CommandLine;
using System.Globalization;
using PipelineGate.Cli.Rendering;
using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Baselines;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Publish.Merge;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate check</c>: the gate. Exit 0 when every budget passes (or --warn-only), 1 when one
/// fails, 2 for a usage/config/model/data error, 3 for a runtime error. Writes results.json,
/// report.md, report.html and junit.xml to the output folder, each atomically, and only when the run
/// completed (never a partial set).
/// </summary>
internal static class CheckCommand
{
    public const string DefaultConfig = "pipelinegate.yml";
    public const string DefaultOut = "pipelinegate-out";

    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The config file (default: pipelinegate.yml here, else samples/pipelinegate.yml).", DefaultValueFactory = _ => "" };
        var profile = new Option<string?>("--profile") { Description = "A profile from the config (e.g. pr, release)." };
        var baselineRef = new Option<string?>("--baseline-ref") { Description = "Compare with the models at the merge base of this git ref, measured interleaved in this run (e.g. origin/main)." };
        var baselineResults = new Option<string?>("--baseline-results") { Description = "Compare with a stored results.json (from 'pipelinegate baseline save')." };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for results.json, report.md, report.html, junit.xml.", DefaultValueFactory = _ => DefaultOut };
        var warnOnly = new Option<bool>("--warn-only") { Description = "Report failures but exit 0." };
        var shard = new Option<string?>("--shard") { Description = "i/n: measure only this shard of the models (merge shards with 'pipelinegate merge')." };
        var publishing = PublishOptions.Create();
        var dims = RunCommand.DimOption();
        dims.Description = "NAME=SIZE: a symbolic dimension's size for random inputs of every model without data (overrides the config's dims; repeatable).";
        var target = new Option<string?>("--target") { Description = "Measure only this target (a target name, or cpu|cuda|tensorrt); merge target shards with 'pipelinegate merge'." };
        var isolation = IsolationOptions.Mode();
        var modelTimeout = IsolationOptions.Timeout();
        var command = new Command("check", "Run the gate: build variants, measure, judge every budget, write reports; exit 1 if a budget failed.")
        {
            config, profile, baselineRef, baselineResults, output, warnOnly, shard,
            publishing.Publish, publishing.Comment, publishing.FailOn, target, dims, isolation, modelTimeout,
        };
        command.SetAction(parse => CommandGuard.Run(() => Execute(new CheckArguments(
            parse.GetValue(config)!, parse.GetValue(profile), parse.GetValue(baselineRef), parse.GetValue(baselineResults),
            parse.GetValue(output)!, parse.GetValue(warnOnly), parse.GetValue(shard))
        {
            Publish = parse.GetValue(publishing.Publish)!,
            Comment = parse.GetValue(publishing.Comment)!,
            FailOn = parse.GetValue(publishing.FailOn)!,
            Target = parse.GetValue(target),
            Isolation = parse.GetValue(isolation),
            ModelTimeout = parse.GetValue(modelTimeout),
            Dims = RunCommand.ParseDims(parse.GetValue(dims) ?? []),
        })));
        return command;
    }

    internal sealed record CheckArguments(string Config, string? Profile, string? BaselineRef, string? BaselineResults, string Out, bool WarnOnly, string? Shard)
    {
        public string Publish { get; init; } = PublishChoices.DefaultMode;

        public string Comment { get; init; } = PublishChoices.DefaultComment;

        public string FailOn { get; init; } = PublishChoices.DefaultFailOn;

        public string? Target { get; init; }

        /// <summary>process (default) or off; null reads PIPELINEGATE_ISOLATION.</summary>
        public string? Isolation { get; init; }

        /// <summary>The watchdog bound per model; null reads PIPELINEGATE_MODEL_TIMEOUT, else the default.</summary>
        public string? ModelTimeout { get; init; }

        /// <summary>--dim NAME=SIZE, applied over each model's dims.</summary>
        public IReadOnlyDictionary<string, long> Dims { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);
    }

    internal static GateConfig WithDims(GateConfig config, IReadOnlyDictionary<string, long> dims) => dims.Count == 0 ? config : config with
    {
        Models = config.Models.Select(m => m with
        {
            Dims = m.Dims.Concat(dims).GroupBy(static kv => kv.Key, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.Last().Value, StringComparer.Ordinal),
        }).ToArray(),
    };

    internal static int Execute(CheckArguments a)
    {
        if (a.BaselineRef is not null && a.BaselineResults is not null)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "Use either --baseline-ref or --baseline-results, not both.");
        }

        a = a with { BaselineRef = a.BaselineRef ?? PullRequestBaseline.Default(a.Profile, a.BaselineResults is not null, CiEnvironment.FromProcess()) };
        var configPath = ResolveConfig(a.Config);
        var config = WithDims(TargetShard.Apply(ConfigLoader.Load(configPath), a.Target), a.Dims);
        var failOn = ExitPolicy.Effective(PublishChoices.ParseFailOn(a.FailOn), a.WarnOnly);
        var work = Path.Combine(Path.GetFullPath(a.Out), ".work");
        var options = new GateRunOptions
        {
            Isolation = IsolationOptions.Resolve(a.Isolation, a.ModelTimeout, (model, files) => WorkerCommand.Arguments(configPath, a, work, model, files)),
            Profile = a.Profile,
            BaselineRef = a.BaselineRef,
            BaselineResults = a.BaselineResults,
            WorkDirectory = work,
            VariantCache = IO.CacheFolder.Variants(),
            WarnOnly = a.WarnOnly,
            Shard = ParseShard(a.Shard),
            ToolVersion = ToolInfo.Version,
        };

        var result = RunWithProgress(config, options);
        ReportWriter.WriteAll(result, a.Out, ToolInfo.ReproduceCommand(a));
        ReportWriter.Print(AnsiConsole.Console, result, a.Out);
        PublishCommand.Publish(result, new PublishCommand.Settings(a.Publish, a.Comment, failOn, null, a.Out, ToolInfo.ReproduceCommand(a)));
        if (result.Notices.FirstOrDefault(static n => n.Severity == DiagnosticSeverity.Error) is { } error)
        {
            // A model whose measurement crashed or hung: every other model is reported above, and the run is a runtime error.
            Console.Error.WriteLine(error.ToString());
            return ExitCodes.For(error.Code);
        }

        return ExitPolicy.Fails(result.Summary, failOn) ? ExitCodes.BudgetFailed : ExitCodes.Success;
    }

    /// <summary>The config given, or pipelinegate.yml here, or the bundled sample's when run from the repository root.</summary>
    internal static string ResolveConfig(string given)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }

        if (File.Exists(DefaultConfig))
        {
            return DefaultConfig;
        }

        var sample = Path.Combine("samples", DefaultConfig);
        if (File.Exists(sample))
        {
            return sample;
        }

        throw new PipelineGateException(PgCode.ConfigNotFound,
            $"No config given and no {DefaultConfig} in {Directory.GetCurrentDirectory()}.",
            hint: "Pass --config path/to/pipelinegate.yml (docs/config.md describes the format).");
    }

    internal static (int, int)? ParseShard(string? shard)
    {
        if (shard is null)
        {
            return null;
        }

        var parts = shard.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && i >= 1 && i <= n)
        {
            return (i, n);
        }

        throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--shard '{shard}' is not i/n with 1 ≤ i ≤ n (e.g. 2/4).");
    }

    private static GateResult RunWithProgress(GateConfig config, GateRunOptions options)
    {
        if (Console.IsOutputRedirected)
        {
            // CI logs: one line per phase instead of a live progress bar.
            string? last = null;
            return GateRunner.Run(config, options, new SynchronousProgress<GateProgress>(p =>
            {
                var line = $"{p.Model}/{p.Variant}: {p.Phase}" + (p.Detail is { } detail ? " — " + detail : "");
                if (line != last)
                {
                    Console.Error.WriteLine(line);
                    last = line;
                }
            }));
        }

        GateResult result = null!;
        AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                result = GateRunner.Run(config, options, new SynchronousProgress<GateProgress>(p =>
                {
                    var key = $"{p.Model}/{p.Variant}: {p.Phase}";
                    if (!tasks.TryGetValue(key, out var task))
                    {
                        task = tasks[key] = ctx.AddTask(Markup.Escape(key), maxValue: 1);
                    }

                    task.Value = Math.Max(task.Value, p.Fraction);
                    if (p.Detail is { } detail)
                    {
                        task.Description = Markup.Escape(key + " — " + detail);
                    }
                }));
                foreach (var t in tasks.Values)
                {
                    t.Value = 1;
                }
            });
        return result;
    }
}
