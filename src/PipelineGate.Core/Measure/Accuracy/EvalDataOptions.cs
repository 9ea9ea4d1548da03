using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>How to find a model's inputs and labels in an evaluation data file, and what to check them against.</summary>
public sealed record EvalDataOptions
{
    /// <summary>
    /// Model input name → the array (or, for CSV, the columns in order) that feeds it. Inputs not
    /// listed are looked up under their own name. Array formats take exactly one name per input;
    /// CSV takes one or more columns, which become a float tensor [N, columns].
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputMapping { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// The label array, .npy file (for a single .npy, a sibling file such as <c>labels.npy</c>; the
    /// extension may be left off), CSV column, or reference output name (test data sets). Null: no labels.
    /// </summary>
    public string? LabelName { get; init; }

    /// <summary>
    /// The model's inputs (name, element type, dimensions with -1 for dynamic). When given, every
    /// input must be found with exactly this element type and these non-batch dimensions; when empty,
    /// every array except the label becomes an input and nothing is checked.
    /// </summary>
    public IReadOnlyList<(string Name, TensorElementType Type, long[] Dims)> ModelInputs { get; init; } = [];

    /// <summary>The layout to read; <see cref="EvalDataFormat.Auto"/> decides from the path.</summary>
    public EvalDataFormat Format { get; init; }

    /// <summary>How ONNX test data sets are joined; ignored for other formats.</summary>
    public TestDataStacking Stacking { get; init; }

    /// <summary>A vocab.txt or tokenizer.json: the data is then lines of text, tokenized (<see cref="EvalDataFormat.Text"/>).</summary>
    public string? Tokenizer { get; init; }

    /// <summary>Tokens per text row at most, [CLS] and [SEP] included; longer lines are cut.</summary>
    public int MaxLength { get; init; } = DefaultMaxLength;

    /// <summary>Rows of the model's position-embedding table, which <see cref="MaxLength"/> may not exceed; null: unknown.</summary>
    public int? PositionTable { get; init; }

    public const int DefaultMaxLength = 128;

    /// <summary>The CSV field separator.</summary>
    public char CsvDelimiter { get; init; } = ',';
}
