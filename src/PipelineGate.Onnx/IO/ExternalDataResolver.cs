using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Turns an external_data location into a file path, refusing any location that would leave the
/// model's folder: an absolute path, a "..", or a symbolic link pointing elsewhere. A model is
/// untrusted input in CI (it arrives in a pull request), and ONNX Runtime would otherwise read any
/// file the runner can read.
/// </summary>
public static class ExternalDataResolver
{
    /// <summary>Resolves and checks the data file of one external tensor; throws PG2005/PG2006/PG2014.</summary>
    public static (string Path, ExternalDataInfo Info) Resolve(ModelFile model, TensorProto tensor, string where)
    {
        var info = ExternalDataInfo.TryParse(tensor, out var problem)
            ?? throw new PipelineGateException(PgCode.ExternalDataMissing,
                $"Tensor {where} is stored outside the model, but {problem}.",
                model.DisplayPath, hint: "Re-export the model, or save it with all data inside the .onnx file.");
        if (model.BaseDirectory is null)
        {
            throw new PipelineGateException(PgCode.ExternalDataMissing,
                $"Tensor {where} is stored in external file '{info.Location}', but the model was read without a folder to find it in.",
                model.DisplayPath, hint: "Load the model from its path so that its external data can be found beside it.");
        }

        var path = SafeCombine(model.BaseDirectory, info.Location)
            ?? throw new PipelineGateException(PgCode.ExternalDataOutsideModelFolder,
                $"Tensor {where} points to external data at '{info.Location}', which is outside the model's folder '{model.BaseDirectory}'. Refusing to read it.",
                model.DisplayPath, hint: "External data must be a relative path inside the model's folder; move the data file next to the model and fix its location.");
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new PipelineGateException(PgCode.ExternalDataMissing,
                $"Tensor {where} is stored in external file '{info.Location}', which does not exist (looked for '{path}').",
                model.DisplayPath, hint: "Commit or download the data file next to the model (if it is tracked by Git LFS, run 'git lfs pull').");
        }

        // Compare real paths: a link anywhere on the way (the data file or a folder of its location) must not
        // lead outside the model's folder, and a model folder opened through a link still accepts its own files.
        string? real;
        try
        {
            real = RealPath(path);
        }
        catch (IOException)
        {
            // ELOOP from the OS: links that point back at each other.
            real = null;
        }

        if (real is null)
        {
            throw BrokenLink(model, info, where);
        }

        if (!IsInside(RealPath(model.BaseDirectory) ?? model.BaseDirectory, real))
        {
            throw new PipelineGateException(PgCode.ExternalDataOutsideModelFolder,
                $"External data file '{info.Location}' of tensor {where} resolves to '{real}', outside the model's folder. Refusing to read it.",
                model.DisplayPath, hint: "Replace the link with the data file itself.");
        }

        path = real;
        file = new FileInfo(real);
        if (!file.Exists)
        {
            // A dangling link: the link itself exists, what it names does not.
            throw BrokenLink(model, info, where);
        }

        var end = info.Offset + (info.Length ?? 0);
        if (info.Offset > file.Length || end > file.Length)
        {
            throw new PipelineGateException(PgCode.ExternalDataOutOfRange,
                $"Tensor {where} reads bytes {info.Offset}..{end} of '{info.Location}', but that file has only {file.Length} bytes.",
                model.DisplayPath, hint: "The data file is truncated or belongs to another version of the model; re-export or re-download both together.");
        }

        return (path, info);
    }

    private static PipelineGateException BrokenLink(ModelFile model, ExternalDataInfo info, string where) =>
        new(PgCode.ExternalDataMissing,
            $"Tensor {where} is stored in external file '{info.Location}', a symbolic link that leads to no file (it dangles, or links loop back to each other, or more than 40 links follow each other).",
            model.DisplayPath, hint: "Replace the link with the data file itself.");

    /// <summary>The combined full path, or null when it would escape <paramref name="baseDirectory"/>.</summary>
    public static string? SafeCombine(string baseDirectory, string location)
    {
        if (string.IsNullOrEmpty(location) || Path.IsPathRooted(location) || location.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(baseDirectory, location));
        return IsInside(baseDirectory, full) ? full : null;
    }

    /// <summary>The path with every symbolic link on it resolved (like realpath(3)), or null when a link cannot be resolved.</summary>
    /// <exception cref="IOException">The OS refuses to follow the links (ELOOP).</exception>
    public static string? RealPath(string path) => RealPath(path, 0);

    private static string? RealPath(string path, int depth)
    {
        if (depth > 40)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (entry.LinkTarget is null)
            {
                continue;
            }

            var target = entry.ResolveLinkTarget(returnFinalTarget: true);
            var resolved = target is null ? null : RealPath(target.FullName, depth + 1);
            if (resolved is null)
            {
                return null;
            }

            current = resolved;
        }

        return current;
    }

    private static bool IsInside(string baseDirectory, string fullPath)
    {
        var root = Path.GetFullPath(baseDirectory);
        if (!root.EndsWith(Path.DirectorySeparatorChar))
        {
            root += Path.DirectorySeparatorChar;
        }

        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return fullPath.StartsWith(root, comparison);
    }
}
