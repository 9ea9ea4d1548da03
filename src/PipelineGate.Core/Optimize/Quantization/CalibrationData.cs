using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Runtime;

namespace PipelineGate.Optimize.Quantization;

/// <summary>Opens calibration or evaluation data for a model session and chooses a batch size that keeps one batch's activations modest.</summary>
internal static class CalibrationData
{
    /// <summary>Input values per batch that the batch size aims at (about 4 MB of float inputs).</summary>
    private const long TargetBatchValues = 1 << 20;

    /// <summary>The calibration path, or PG2032 without a file location (a recipe step's location is attached by the caller).</summary>
    public static string Require(string? path, string model)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new PipelineGateException(PgCode.CalibrationDataMissing,
                $"quantize mode 'static' needs calibration data for '{model}'; set 'calibration:' to a .npy, .npz or folder.",
                hint: "Point 'calibration' at a few hundred representative input samples (or pass --calibration), or use mode: dynamic.");
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new PipelineGateException(PgCode.CalibrationDataMissing,
                $"Calibration data '{path}' does not exist (looked for {Path.GetFullPath(path)}).",
                hint: "Point 'calibration' at a .npy/.npz file or a folder of them, relative to the config's folder.");
        }

        return path;
    }

    /// <summary>
    /// Opens the data with the session's inputs as the expected inputs, so that a mismatch fails with the readers' codes;
    /// with <paramref name="text"/> the file is lines of text tokenized for a text encoder (as <c>data: { text, tokenizer }</c>).
    /// </summary>
    public static IEvalDataset Open(string path, InferenceSession session, IReadOnlyDictionary<string, string>? mapping = null, string? labels = null, TextInputs? text = null) =>
        EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            InputMapping = (mapping ?? new Dictionary<string, string>()).ToDictionary(static kv => kv.Key, static kv => (IReadOnlyList<string>)[kv.Value], StringComparer.Ordinal),
            LabelName = labels,
            ModelInputs = session.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray())).ToArray(),
            Tokenizer = text?.Tokenizer,
            MaxLength = text?.MaxLength ?? EvalDataOptions.DefaultMaxLength,
            PositionTable = text?.PositionTable,
        });

    /// <summary>How lines of text become a text encoder's inputs: the vocabulary, tokens per line at most, and the model's position-table rows (null: unknown).</summary>
    public sealed record TextInputs(string Tokenizer, int? MaxLength, int? PositionTable)
    {
        /// <summary>How <paramref name="data"/> is tokenized for <paramref name="model"/> (data: { text, tokenizer }, or --text --tokenizer); null when it is not text.</summary>
        public static TextInputs? Of(Gate.Config.DataConfig? data, Onnx.IO.ModelFile model) =>
            data?.Tokenizer is { } tokenizer ? new TextInputs(tokenizer, data.MaxLength, Measure.Text.PositionTable.Rows(model)) : null;
    }

    /// <summary>The model's fixed batch size, else as many samples as fit about a million input values (1 to 64).</summary>
    public static int BatchSize(InferenceSession session, IEvalDataset data)
    {
        var fixedBatch = session.Inputs.Select(static i => i.Dimensions.Count > 0 ? i.Dimensions[0] : -1).FirstOrDefault(static d => d > 0, -1);
        if (fixedBatch > 0)
        {
            return (int)fixedBatch;
        }

        if (data.Count == 0)
        {
            return 1;
        }

        var perSample = Math.Max(1, data.ReadBatch(0, 1).Inputs.Values.Sum(static t => t.ElementCount));
        return (int)Math.Clamp(TargetBatchValues / perSample, 1, 64);
    }

    /// <summary>Batches of the data set, skipping a short last batch when the model's batch size is fixed.</summary>
    public static IEnumerable<EvalBatch> Batches(IEvalDataset data, int batchSize, bool fixedBatch, int limit = int.MaxValue)
    {
        var total = Math.Min(limit, data.Count);
        for (var start = 0; start < total; start += batchSize)
        {
            var count = Math.Min(batchSize, total - start);
            if (fixedBatch && count != batchSize)
            {
                yield break;
            }

            yield return data.ReadBatch(start, count);
        }
    }

    public static bool HasFixedBatch(InferenceSession session) =>
        session.Inputs.Any(static i => i.Dimensions.Count > 0 && i.Dimensions[0] > 0);
}
