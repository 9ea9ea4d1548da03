using PipelineGate.Diagnostics;

namespace PipelineGate.Measure.Accuracy;

/// <summary>Opens an evaluation set in any supported layout and checks it against the model's inputs.</summary>
public static class EvalDatasetLoader
{
    /// <summary>
    /// Opens <paramref name="path"/>: a <c>.npy</c>, <c>.npz</c> or <c>.csv</c> file, a folder of
    /// <c>.npy</c> files, or a folder of ONNX test data sets (or one <c>test_data_set_N</c> folder).
    /// Every problem is a <see cref="PipelineGateException"/>: PG2026 missing file or label, PG2024 a
    /// model input without data, PG2023 wrong element type, PG2022 wrong shape, PG2025 sample counts
    /// that disagree, PG2020 a malformed file (CSV errors carry line and column); text data (with a tokenizer)
    /// adds PG2027, PG2028, PG2029, PG2040, PG2041 and PG2042 (see <see cref="Text.TextDataset.Open"/>).
    /// </summary>
    public static IEvalDataset Open(string path, EvalDataOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);

        var isFolder = Directory.Exists(path);
        if (!isFolder && !File.Exists(path))
        {
            throw new PipelineGateException(
                PgCode.DataNotFound,
                $"The evaluation data was not found at {Path.GetFullPath(path)}.",
                path,
                hint: "Check the path (relative paths resolve against the current folder) and that the data was generated or downloaded before this step.");
        }

        var format = options.Format == EvalDataFormat.Auto ? options.Tokenizer is null ? Detect(path, isFolder) : EvalDataFormat.Text : options.Format;
        var wantsFolder = format is EvalDataFormat.NpyFolder or EvalDataFormat.OnnxTestData;
        if (wantsFolder != isFolder)
        {
            throw new PipelineGateException(
                PgCode.DataNotFound,
                isFolder ? $"This is a folder, but the {format} format reads a single file." : $"This is a file, but the {format} format reads a folder.",
                path,
                hint: "Point the setting at the data itself, or let the format be detected (auto).");
        }

        return format switch
        {
            EvalDataFormat.Npy => NumpyDatasets.OpenSingle(path, options),
            EvalDataFormat.NpyFolder => NumpyDatasets.OpenFolder(path, options),
            EvalDataFormat.Npz => NumpyDatasets.OpenNpz(path, options),
            EvalDataFormat.OnnxTestData => OnnxTestDataDataset.Open(path, options),
            EvalDataFormat.Csv => CsvDataset.Open(path, options),
            EvalDataFormat.Text => Text.TextDataset.Open(path, options.Tokenizer ?? throw new PipelineGateException(PgCode.TokenizerFileInvalid, "Text evaluation data needs a tokenizer (vocab.txt or tokenizer.json).", path,
                hint: "Set 'tokenizer' beside 'text' in the data settings, or pass --tokenizer."), options.MaxLength, options.PositionTable, options.ModelInputs),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown evaluation data format."),
        };
    }

    private static EvalDataFormat Detect(string path, bool isFolder)
    {
        if (isFolder)
        {
            return OnnxTestDataDataset.LooksLikeTestData(path) ? EvalDataFormat.OnnxTestData : EvalDataFormat.NpyFolder;
        }

        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".NPY" => EvalDataFormat.Npy,
            ".NPZ" => EvalDataFormat.Npz,
            ".CSV" or ".TXT" => EvalDataFormat.Csv,
            _ => throw new PipelineGateException(
                PgCode.TensorFileInvalid,
                $"Cannot tell the evaluation data format from the extension '{Path.GetExtension(path)}'; expected .npy, .npz, .csv, a folder of .npy files, or a folder of ONNX test data sets.",
                path,
                hint: "Rename the file to its format's extension, or set the format explicitly."),
        };
    }
}
