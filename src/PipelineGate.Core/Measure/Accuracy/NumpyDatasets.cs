using System.IO.Compression;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>Opens the numpy layouts: a single .npy, a folder of .npy files, and .npz archives.</summary>
internal static class NumpyDatasets
{
    private const string NpyNamingHint =
        "Name each .npy file after the model input it feeds (pixels.npy for input 'pixels'), or map the input to a file name in the evaluation settings.";

    private const string NpzNamingHint =
        "Save each array under the model input's name (np.savez(path, pixels=x, labels=y)), or map the input to an array name in the evaluation settings.";

    public static IEvalDataset OpenSingle(string path, EvalDataOptions options)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var requested = DataChecks.Requested(options, oneSourcePerInput: true, path);
        string input = stem;
        if (requested is { Count: > 0 })
        {
            // The one array feeds the input mapped (or named) after the file, else the first input.
            input = requested.FirstOrDefault(r => string.Equals(r.Sources[0], stem, StringComparison.Ordinal)).Input ?? requested[0].Input;
            var other = requested.FirstOrDefault(r => !string.Equals(r.Input, input, StringComparison.Ordinal));
            if (other.Input is not null)
            {
                throw new PipelineGateException(
                    PgCode.DataMissingInput,
                    $"Model input '{other.Input}' has no data: a single .npy file holds one array, which feeds '{input}'.",
                    path,
                    hint: "For a model with several inputs use a folder of .npy files or an .npz archive with one array per input, named after the inputs.");
            }
        }

        IReadOnlyList<string> available = [input];
        string? labelName = null;
        string? labelPath = null;
        if (options.LabelName is { } label)
        {
            labelPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.HasExtension(label) ? label : label + ".npy");
            labelName = Path.GetFileNameWithoutExtension(labelPath);
            if (!File.Exists(labelPath))
            {
                throw new PipelineGateException(
                    PgCode.DataNotFound,
                    $"The label file '{Path.GetFileName(labelPath)}' was not found next to the data file; expected {labelPath}.",
                    path,
                    hint: "Save the labels beside the inputs (np.save('labels.npy', y)) or correct the label name in the evaluation settings.");
            }

            available = [input, labelName];
        }

        return ArrayDataset.Bind(
            path,
            EvalDataFormat.Npy,
            options with { InputMapping = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [input] = [input] } },
            available,
            name => string.Equals(name, input, StringComparison.Ordinal) ? OpenFile(path, stem) : OpenFile(labelPath!, name),
            name => $"the array '{name}'",
            NpyNamingHint,
            labelName,
            []);
    }

    public static IEvalDataset OpenFolder(string folder, EvalDataOptions options)
    {
        var files = Directory.GetFiles(folder, "*.npy")
            .Where(static f => f.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(static f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        if (files.Count == 0)
        {
            throw new PipelineGateException(
                PgCode.DataNotFound,
                "The folder holds no .npy files; expected one .npy file per model input (and one for the labels).",
                folder,
                hint: "Save the arrays with np.save into this folder, named after the model inputs.");
        }

        var names = files.Keys.Order(StringComparer.Ordinal).ToArray();
        return ArrayDataset.Bind(
            folder,
            EvalDataFormat.NpyFolder,
            options,
            names,
            name => OpenFile(files[name], name),
            name => $"a file '{name}.npy' in the folder",
            NpyNamingHint,
            StripNpy(options.LabelName),
            []);
    }

    public static IEvalDataset OpenNpz(string path, EvalDataOptions options)
    {
        // NpzReader validates the archive and gives the canonical errors; the second handle streams entries.
        var reader = new NpzReader(path);
        ZipArchive? archive = null;
        try
        {
            archive = new ZipArchive(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), ZipArchiveMode.Read, leaveOpen: false);
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith('/'))
                {
                    entries.TryAdd(entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName, entry);
                }
            }

            var zip = archive;
            return ArrayDataset.Bind(
                path,
                EvalDataFormat.Npz,
                options,
                reader.Names,
                name => NpyArraySource.Open(name, path, () => entries[name].Open(), entries[name].Length, () => reader.Get(name)),
                name => $"an array named '{name}' in the archive",
                NpzNamingHint,
                StripNpy(options.LabelName),
                [zip, reader]);
        }
        catch
        {
            // Bind disposes what it was given; this covers failures before it was called.
            archive?.Dispose();
            reader.Dispose();
            throw;
        }
    }

    private static IArraySource OpenFile(string path, string name)
        => NpyArraySource.Open(
            name,
            path,
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16),
            new FileInfo(path).Length,
            () => NpyFile.Read(path));

    private static string? StripNpy(string? name)
        => name is not null && name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
}
