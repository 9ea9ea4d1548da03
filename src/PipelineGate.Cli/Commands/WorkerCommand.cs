using System.CommandLine;
using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Isolation;
using PipelineGate.IO;
using PipelineGate.Publish;
using PipelineGate.Publish.Merge;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// The hidden <c>pipelinegate measure-worker</c>: what <c>check</c> re-invokes itself with to measure one
/// model in a process of its own. It writes that model's results (or the coded errors that stopped it)
/// atomically to the files it is given and progress lines on stderr; the gate's watchdog does the rest.
/// </summary>
internal static class WorkerCommand
{
    public const string Name = "measure-worker";

    public static Command Create()
    {
        var config = new Option<string>("--config") { Required = true };
        var model = new Option<string>("--model") { Required = true };
        var work = new Option<string>("--work") { Required = true };
        var result = new Option<string>("--result") { Required = true };
        var errors = new Option<string>("--errors") { Required = true };
        var profile = new Option<string?>("--profile");
        var baselineRef = new Option<string?>("--baseline-ref");
        var baselineResults = new Option<string?>("--baseline-results");
        var target = new Option<string?>("--target");
        var parent = new Option<int?>("--parent");
        var dims = RunCommand.DimOption();
        var command = new Command(Name, "Measure one model for 'check' (internal).") { config, model, work, result, errors, profile, baselineRef, baselineResults, target, parent, dims };
        command.Hidden = true;
        command.SetAction(parse => CommandGuard.Run(() => ExitWithParent(parse.GetValue(parent)) ?? Execute(
            parse.GetValue(config)!, parse.GetValue(model)!, parse.GetValue(work)!, new WorkerFiles(parse.GetValue(result)!, parse.GetValue(errors)!),
            parse.GetValue(profile), parse.GetValue(baselineRef), parse.GetValue(baselineResults), parse.GetValue(target), RunCommand.ParseDims(parse.GetValue(dims) ?? []))));
        return command;
    }

    /// <summary>The worker's arguments for one model of a check run.</summary>
    public static IReadOnlyList<string> Arguments(string configPath, CheckCommand.CheckArguments a, string work, string model, WorkerFiles files)
    {
        var args = new List<string>
        {
            Name, "--config", configPath, "--model", model, "--work", work, "--result", files.Result, "--errors", files.Errors,
            "--parent", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                args.Add(name);
                args.Add(value);
            }
        }

        Add("--profile", a.Profile);
        Add("--baseline-ref", a.BaselineRef);
        Add("--baseline-results", a.BaselineResults);
        Add("--target", a.Target);
        foreach (var (name, size) in a.Dims)
        {
            Add("--dim", name + "=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return args;
    }

    private static int Execute(string configPath, string model, string work, WorkerFiles files, string? profile, string? baselineRef, string? baselineResults, string? target,
        IReadOnlyDictionary<string, long> dims)
    {
        try
        {
            // The gate's --dim travels with the worker: the config file alone does not carry it.
            var config = CheckCommand.WithDims(TargetShard.Apply(ConfigLoader.Load(configPath), target), dims);
            var options = new GateRunOptions
            {
                Profile = profile,
                BaselineRef = baselineRef,
                BaselineResults = baselineResults,
                WorkDirectory = work,
                VariantCache = IO.CacheFolder.Variants(),
                ToolVersion = ToolInfo.Version,
                OnlyModel = model,
            };
            var outcome = GateRunner.Run(config, options, new SynchronousProgress<GateProgress>(static p => Console.Error.WriteLine(WorkerProgress.Format(p))));
            AtomicFile.WriteAllText(files.Result, ResultsFile.Serialize(outcome));
            return ExitCodes.Success;
        }
        catch (ConfigException ex)
        {
            return Stop(files, ex.Diagnostics, ex.Code);
        }
        catch (PipelineGateException ex)
        {
            return Stop(files, [ex.Diagnostic], ex.Code);
        }
    }

    /// <summary>
    /// A worker whose gate was killed (a cancelled CI job) stops too rather than measure on for nobody: a
    /// background thread checks every half second that the gate process still exists.
    /// </summary>
    private static int? ExitWithParent(int? parentId)
    {
        if (parentId is not { } pid)
        {
            return null;
        }

        var watcher = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(500);
                try
                {
                    using var p = System.Diagnostics.Process.GetProcessById(pid);
                    if (!p.HasExited)
                    {
                        continue;
                    }
                }
                catch (ArgumentException)
                {
                    // No such process: the gate is gone.
                }

                Environment.Exit(ExitCodes.InternalError);
            }
        })
        { IsBackground = true, Name = "gate watcher" };
        watcher.Start();
        return null;
    }

    private static int Stop(WorkerFiles files, IReadOnlyList<Diagnostic> diagnostics, PgCode code)
    {
        AtomicFile.WriteAllText(files.Errors, JsonSerializer.Serialize(diagnostics, ResultsFile.WriteOptions));
        return ExitCodes.For(code);
    }
}
