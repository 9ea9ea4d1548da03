using PipelineGate.Onnx.IO;

namespace PipelineGate.Init;

/// <summary>The .onnx files of a repository that <c>pipelinegate init</c> configures, and those it had to leave out.</summary>
public sealed record DiscoveredModels(IReadOnlyList<string> Models, IReadOnlyList<string> LfsPointers, int FilesSearched);

/// <summary>
/// Finds ONNX models under a folder, in path order. Build outputs and tool folders are skipped (bin, obj,
/// node_modules, dot-folders such as .git, and PipelineGate's own output), and so are Git LFS pointer files,
/// which are listed so the user can be told to run <c>git lfs pull</c>.
/// </summary>
public static class ModelDiscovery
{
    /// <summary>Folder names never searched: build outputs and dependencies, not the repository's own models.</summary>
    public static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", "pipelinegate-out", "packages", "__pycache__", "dist", "build", "out", "target"];

    public static DiscoveredModels Find(string root)
    {
        var models = new List<string>();
        var pointers = new List<string>();
        var searched = 0;
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(folder))
            {
                var name = Path.GetFileName(sub);
                if (!name.StartsWith('.') && !SkippedFolders.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                searched++;
                if (!file.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                (ModelFile.IsGitLfsPointer(file) ? pointers : models).Add(file);
            }
        }

        models.Sort(StringComparer.Ordinal);
        pointers.Sort(StringComparer.Ordinal);
        return new DiscoveredModels(models, pointers, searched);
    }
}
