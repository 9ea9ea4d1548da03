using System.CommandLine;
using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Init;
using PipelineGate.IO;
using PipelineGate.Measure.Environment;
using PipelineGate.Runtime;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate init [folder]</c>: finds the repository's ONNX models, measures each on this runner, and writes a
/// commented pipelinegate.yml whose budgets pass here at once, plus the CI file for the detected system.
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var folder = new Argument<string?>("folder") { Description = "The repository (default: the current folder).", Arity = ArgumentArity.ZeroOrOne };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing pipelinegate.yml (and the CI file)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Measure and print what would be written; write nothing." };
        var ci = new Option<string>("--ci") { Description = "The CI file to write: auto (detect .github or an Azure pipeline), github, azure-devops, none.", DefaultValueFactory = _ => "auto" };
        var duration = new Option<double>("--duration") { Description = "Seconds of timed inferences per model and variant (default 2).", DefaultValueFactory = _ => 2 };
        var margin = new Option<string>("--latency-margin") { Description = "Headroom on the measured p90's upper 95% bound (default 100%).", DefaultValueFactory = _ => "100%" };
        var command = new Command("init", "Find the ONNX models in a repository, measure them here and write pipelinegate.yml with budgets that pass today, and a CI file.")
        {
            folder, force, dryRun, ci, duration, margin,
        };
        command.SetAction(parse => CommandGuard.Run(() => Execute(
            Path.GetFullPath(parse.GetValue(folder) ?? Directory.GetCurrentDirectory()),
            parse.GetValue(force),
            parse.GetValue(dryRun),
            ParseCi(parse.GetValue(ci)!),
            parse.GetValue(duration),
            ParseMargin(parse.GetValue(margin)!))));
        return command;
    }

    private static int Execute(string root, bool force, bool dryRun, CiSystem? ci, double seconds, double margin)
    {
        if (!Directory.Exists(root))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"Folder '{root}' does not exist.", hint: "Pass the repository's folder, or run init inside it.");
        }

        if (seconds <= 0 || double.IsNaN(seconds))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--duration must be positive; got {seconds.ToString(CultureInfo.InvariantCulture)}.");
        }

        var configPath = Path.Combine(root, "pipelinegate.yml");
        if (File.Exists(configPath) && !force && !dryRun)
        {
            throw new PipelineGateException(PgCode.InitConfigExists, $"pipelinegate.yml already exists in {root}; init never overwrites it.", configPath,
                hint: "Keep it, look at what init would write with --dry-run, or replace it with --force.");
        }

        var found = ModelDiscovery.Find(root);
        foreach (var pointer in found.LfsPointers)
        {
            Console.Error.WriteLine(new Diagnostic(PgCode.ModelIsGitLfsPointer, DiagnosticSeverity.Warning,
                $"{Relative(root, pointer)} is a Git LFS pointer, not the model: skipped.", pointer, Hint: "Run 'git lfs pull' and init again to include it.").ToString());
        }

        if (found.Models.Count == 0)
        {
            var lfs = found.LfsPointers.Count > 0 ? $" {found.LfsPointers.Count} .onnx file(s) are Git LFS pointers: run 'git lfs pull' first." : string.Empty;
            throw new PipelineGateException(PgCode.InitNoModels,
                $"No .onnx model found under {root} (searched {found.FilesSearched} files; skipped {string.Join(", ", ModelDiscovery.SkippedFolders)} and dot-folders).{lfs}", root,
                hint: "Run init in the repository that holds the models, or pass its folder.");
        }

        var work = Path.Combine(Path.GetTempPath(), "pipelinegate-init-" + Guid.NewGuid().ToString("N"));
        var options = new InitOptions { Duration = TimeSpan.FromSeconds(seconds), LatencyMargin = margin, ToolVersion = ToolInfo.Version, WorkDirectory = work };
        var plans = new List<ModelPlan>();
        try
        {
            var progress = new SynchronousProgress<string>(static s => Console.Error.WriteLine("pipelinegate init: " + s));
            foreach (var model in found.Models)
            {
                var plan = InitPlanner.Plan(root, model, options, progress);
                var name = plan.Name;
                for (var i = 2; plans.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)); i++)
                {
                    name = $"{plan.Name}-{i}";
                }

                plans.Add(plan with { Name = name });
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        var unusable = plans.Where(static p => p.Unusable is not null).ToArray();
        foreach (var p in unusable)
        {
            Console.Error.WriteLine(new Diagnostic(PgCode.InitModelUnreadable, DiagnosticSeverity.Error,
                $"{p.RelativePath} cannot be used: {p.Unusable} It is left out of pipelinegate.yml.", Path.Combine(root, p.RelativePath),
                Hint: "Fix or re-export the model, then run init again with --force.").ToString());
        }

        if (unusable.Length == plans.Count)
        {
            return ExitCodes.UsageError;
        }

        var runner = RunnerFingerprint.Capture(SessionConfig.Default).Describe();
        var config = InitConfigWriter.Write(plans, options, runner, DateTimeOffset.UtcNow);
        var system = ci ?? CiSnippet.Detect(root);
        var ciPath = CiSnippet.PathFor(system) is { } relative ? Path.Combine(root, relative) : null;
        var ciText = CiSnippet.Text(system, ToolInfo.Version);
        if (dryRun)
        {
            Console.Out.Write($"# --dry-run: would write {configPath}{(File.Exists(configPath) ? " (it exists; --force would replace it)" : "")}\n{config}");
            if (ciPath is not null)
            {
                Console.Out.Write($"\n# --dry-run: would write {ciPath}{(File.Exists(ciPath) && !force ? " (it exists and would be kept without --force)" : "")}\n{ciText}");
            }
        }
        else
        {
            AtomicFile.WriteAllText(configPath, config);
            Console.Out.WriteLine($"Wrote {configPath} ({plans.Count - unusable.Length} model(s)). Check it now: pipelinegate check --config {configPath}");
            if (ciPath is not null && File.Exists(ciPath) && !force)
            {
                Console.Out.WriteLine($"Kept the existing {ciPath} (init never overwrites it without --force).");
            }
            else if (ciPath is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(ciPath)!);
                AtomicFile.WriteAllText(ciPath, ciText);
                Console.Out.WriteLine($"Wrote {ciPath}.");
            }
        }

        if (ciPath is null)
        {
            Console.Out.WriteLine("No CI system detected (no .github folder, no azure-pipelines.yml): pass --ci github or --ci azure-devops to write a pipeline.");
        }

        Console.Out.WriteLine("To gate in 'dotnet build' too, add to the project that ships the model:");
        Console.Out.WriteLine("  " + CiSnippet.PackageReference(ToolInfo.Version));
        return unusable.Length > 0 ? ExitCodes.UsageError : ExitCodes.Success;
    }

    private static CiSystem? ParseCi(string value) => value switch
    {
        "auto" => null,
        "github" => CiSystem.GitHub,
        "azure-devops" or "azure" => CiSystem.AzureDevOps,
        "none" => CiSystem.None,
        _ => throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--ci '{value}' is not auto, github, azure-devops or none."),
    };

    private static double ParseMargin(string text)
    {
        var t = text.Trim().TrimEnd('%');
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0 || double.IsNaN(v))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--latency-margin '{text}' is not a percentage ≥ 0 (e.g. 50%).");
        }

        return v / 100;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
