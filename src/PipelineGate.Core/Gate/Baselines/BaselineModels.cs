using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Gate.Baselines;

/// <summary>
/// Finds each model as it was at the merge base of a ref. Decision: only the model (and its external
/// data) comes from the base; evaluation data and budgets come from the working tree, so both models
/// are measured on identical inputs and judged by the rules under review (a change of data or budgets
/// is itself visible in the pull request's diff).
/// </summary>
public sealed class BaselineModels
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

    private BaselineModels(string? commit, IReadOnlyList<Diagnostic> notices)
    {
        Commit = commit;
        Notices = notices;
    }

    public string? Commit { get; }

    public IReadOnlyList<Diagnostic> Notices { get; }

    /// <summary>Baseline model path for a model name, or null when the model has no baseline.</summary>
    public string? PathFor(string modelName) => _paths.GetValueOrDefault(modelName);

    public static BaselineModels Resolve(GateConfig config, string gitRef, string workDir)
    {
        var notices = new List<Diagnostic>();
        Diagnostic Notice(string message, string? hint = null) =>
            new(PgCode.BaselineUnavailable, DiagnosticSeverity.Warning, message, config.Path, Hint: hint ?? "Regression budgets are skipped; absolute budgets still apply.");

        var repo = GitRepository.Discover(config.Path);
        if (repo is null)
        {
            notices.Add(Notice($"'{config.Path}' is not inside a git repository, so baseline ref '{gitRef}' cannot be used."));
            return new BaselineModels(null, notices);
        }

        var commit = repo.ResolveCommit(gitRef);
        if (commit is null)
        {
            notices.Add(Notice($"Baseline ref '{gitRef}' does not exist in this clone.",
                "Fetch it first (e.g. actions/checkout with fetch-depth: 0, or 'git fetch origin main'); regression budgets are skipped, absolute budgets still apply."));
            return new BaselineModels(null, notices);
        }

        var mergeBase = repo.MergeBase(commit) ?? commit;
        var result = new BaselineModels(mergeBase, notices);
        foreach (var model in config.Models)
        {
            var relative = repo.RelativePath(model.Path);
            var destination = Path.Combine(workDir, "baseline", GitRepository.Short(mergeBase), relative);
            if (!repo.TryExport(mergeBase, relative, destination))
            {
                notices.Add(Notice($"Model '{model.Name}' ({relative}) does not exist at {GitRepository.Short(mergeBase)} (merge base with {gitRef}): it is new in this change."));
                continue;
            }

            if (!ExportExternalData(repo, mergeBase, relative, destination, notices, model.Name))
            {
                continue;
            }

            result._paths[model.Name] = destination;
        }

        return result;
    }

    /// <summary>Copies external data files the baseline model references from the same commit.</summary>
    private static bool ExportExternalData(GitRepository repo, string commit, string relativeModel, string exportedModel, List<Diagnostic> notices, string name)
    {
        ModelFile model;
        try
        {
            model = ModelFile.Load(exportedModel);
            return true;
        }
        catch (PipelineGateException ex) when (ex.Code == PgCode.ExternalDataMissing)
        {
            model = null!;
        }
        catch (PipelineGateException ex)
        {
            notices.Add(new Diagnostic(PgCode.BaselineUnavailable, DiagnosticSeverity.Warning,
                $"Model '{name}' at {GitRepository.Short(commit)} cannot be read: {ex.Diagnostic.Message}", exportedModel));
            return false;
        }

        // Read the references without resolving them, then export each referenced file from the commit.
        var proto = Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(exportedModel));
        var folder = Path.GetDirectoryName(relativeModel)?.Replace('\\', '/');
        foreach (var (tensor, _) in ModelWalker.Tensors(proto))
        {
            if (ExternalDataInfo.IsExternal(tensor) && ExternalDataInfo.TryParse(tensor, out _) is { } info
                && ExternalDataResolver.SafeCombine(Path.GetDirectoryName(exportedModel)!, info.Location) is { } target && !File.Exists(target))
            {
                var source = string.IsNullOrEmpty(folder) ? info.Location : $"{folder}/{info.Location}";
                if (!repo.TryExport(commit, source.Replace('\\', '/'), target))
                {
                    notices.Add(new Diagnostic(PgCode.BaselineUnavailable, DiagnosticSeverity.Warning,
                        $"External data '{info.Location}' of model '{name}' is missing at {GitRepository.Short(commit)}.", exportedModel));
                    return false;
                }
            }
        }

        GC.KeepAlive(model);
        return true;
    }
}
