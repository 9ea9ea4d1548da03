using System.Collections.Concurrent;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Runtime;

/// <summary>
/// The check every model path passes before ONNX Runtime is given it (<see cref="ModelFile.Load(string)"/>: external
/// data inside the model's folder, no dangling or looping link, the reader's bounds), remembered for the process once
/// a file has passed. A gate run opens several sessions per model file (probe, timing, evaluation, baseline), and on
/// an 87 MB encoder each check parses the whole file again.
/// </summary>
/// <remarks>
/// <para>
/// Why skipping the check is safe: its verdict depends only on the model file's bytes, the real path of the model's
/// folder, and, for every external-data file, where its path really leads (links followed), whether it exists and how
/// long it is. A pass is stored with the real path, length and last-write time (UTC) of the model file and of every
/// external-data file it references, and the real path of its folder; it is used again only while all of those are
/// unchanged. Any edit that changes a length or a write time, a file replaced or turned into a link to another file,
/// a folder on the way relinked, or a file gone, and the file is checked again in full. Only passes are stored: a
/// file that failed is checked, and its error reported, every time.
/// </para>
/// <para>
/// What it does not see: a file rewritten with the same length and its write time set back. That is the window the
/// check already has between checking a file and ONNX Runtime opening it (time of check to time of use), only kept
/// open for longer; whoever can write the model's folder while the process runs can do either.
/// </para>
/// <para>
/// Stamps are taken before the part of the check they vouch for (the model file's before it is read, the data
/// files' before the data check is repeated on them), so a change during the check gives a stamp that no longer
/// matches, never a stored pass for a state that was not checked.
/// </para>
/// </remarks>
internal static class ModelPathCheck
{
    private static readonly ConcurrentDictionary<string, Pass> Passes = new(StringComparer.Ordinal);

    /// <summary>Checks the model file at <paramref name="modelPath"/> unless it passed before and is unchanged; throws the check's PipelineGateException.</summary>
    public static void Ensure(string modelPath)
    {
        var full = Path.GetFullPath(modelPath);
        if (Passes.TryGetValue(full, out var stored) && stored.StillHolds(full))
        {
            return;
        }

        Passes.TryRemove(full, out _);
        var model = FileStamp.Of(full);
        var file = ModelFile.Load(modelPath);
        var folder = RealPathOrNull(Path.GetDirectoryName(full)!);
        var externals = ModelWalker.Tensors(file.Model).Where(static t => ExternalDataInfo.IsExternal(t.Tensor)).ToArray();
        var data = new Dictionary<string, FileStamp?>(StringComparer.Ordinal);
        foreach (var (tensor, _) in externals)
        {
            // The load accepted every location, so each parses and combines to a path inside the folder.
            var path = ExternalDataResolver.SafeCombine(file.BaseDirectory!, ExternalDataInfo.TryParse(tensor, out _)!.Location)!;
            if (!data.ContainsKey(path))
            {
                data[path] = FileStamp.Of(path);
            }
        }

        foreach (var (tensor, where) in externals)
        {
            _ = ExternalDataResolver.Resolve(file, tensor, where);
        }

        if (model is not null && folder is not null && data.Values.All(static s => s is not null))
        {
            Passes[full] = new Pass(model, folder, [.. data.Select(static d => (d.Key, d.Value!))]);
        }
    }

    /// <summary>True when <paramref name="modelPath"/> has a stored pass that still holds (the next session skips the check).</summary>
    internal static bool HasPassed(string modelPath)
    {
        var full = Path.GetFullPath(modelPath);
        return Passes.TryGetValue(full, out var stored) && stored.StillHolds(full);
    }

    /// <summary>Forgets every stored pass (for measuring the check itself).</summary>
    internal static void Clear() => Passes.Clear();

    private static string? RealPathOrNull(string path)
    {
        try
        {
            return ExternalDataResolver.RealPath(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Pass(FileStamp Model, string Folder, (string Path, FileStamp Stamp)[] Data)
    {
        public bool StillHolds(string fullPath) =>
            FileStamp.Of(fullPath) == Model
            && RealPathOrNull(Path.GetDirectoryName(fullPath)!) == Folder
            && Array.TrueForAll(Data, static d => FileStamp.Of(d.Path) == d.Stamp);
    }

    /// <summary>Where a path really leads (links followed), and that file's length and last write time; null when it leads to no file.</summary>
    private sealed record FileStamp(string RealPath, long Length, DateTime LastWriteUtc)
    {
        public static FileStamp? Of(string path)
        {
            if (RealPathOrNull(path) is not { } real)
            {
                return null;
            }

            try
            {
                var info = new FileInfo(real);
                return info.Exists ? new FileStamp(real, info.Length, info.LastWriteTimeUtc) : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
