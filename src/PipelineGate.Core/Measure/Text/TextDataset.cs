using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Text;

/// <summary>
/// Lines of real text tokenized into a BERT-class model's integer inputs. Every line is tokenized when the set
/// is opened (so a bad file fails before any model runs); a batch is padded to its longest row with [PAD] and
/// gets the inputs the model declares: <c>input_ids</c>, <c>attention_mask</c> (1 on tokens, 0 on padding),
/// <c>token_type_ids</c> (all 0: one segment) and <c>position_ids</c> (0..length−1), as int64 or int32.
/// </summary>
public sealed class TextDataset : IEvalDataset
{
    private readonly int[][] _rows;
    private readonly (string Name, InputRole Role, TensorElementType Type)[] _inputs;
    private readonly int _pad;

    private TextDataset(string source, int[][] rows, (string, InputRole, TensorElementType)[] inputs, int pad, int truncated, int maxLength)
    {
        Source = source;
        _rows = rows;
        _inputs = inputs;
        _pad = pad;
        TruncatedRows = truncated;
        MaxLength = maxLength;
    }

    /// <summary>The tokenized inputs a text encoder can take, by name.</summary>
    public enum InputRole
    {
        InputIds,
        AttentionMask,
        TokenTypeIds,
        PositionIds,
    }

    public string Source { get; }

    public EvalDataFormat Format => EvalDataFormat.Text;

    public IReadOnlyList<string> InputNames => _inputs.Select(static i => i.Name).ToArray();

    public int Count => _rows.Length;

    public string? LabelName => null;

    public IReadOnlyList<string> ReferenceOutputNames => [];

    /// <summary>Lines longer than <see cref="MaxLength"/> tokens, cut to it (the [SEP] kept).</summary>
    public int TruncatedRows { get; }

    /// <summary>Tokens per row at most, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; }

    /// <summary>The name of the attention-mask input, which masked mean pooling needs; null when the model has none.</summary>
    public string? AttentionMaskName => _inputs.FirstOrDefault(static i => i.Role == InputRole.AttentionMask).Name;

    /// <summary>Token ids of sample <paramref name="index"/>, unpadded.</summary>
    public IReadOnlyList<int> Row(int index) => _rows[index];

    /// <summary>
    /// Opens <paramref name="textPath"/> with the tokenizer at <paramref name="tokenizerPath"/>. PG2028/PG2027: the
    /// text is not UTF-8 or holds no line; PG2042/PG2029: the tokenizer file is unusable or lacks [CLS]/[SEP]/[PAD]/[UNK];
    /// PG2040: <paramref name="maxLength"/> exceeds the model's position table; PG2041: the model has inputs that text
    /// cannot feed.
    /// </summary>
    public static TextDataset Open(string textPath, string tokenizerPath, int maxLength, int? positionTable, IReadOnlyList<(string Name, TensorElementType Type, long[] Dims)> modelInputs)
    {
        ArgumentNullException.ThrowIfNull(modelInputs);
        if (positionTable is { } table && maxLength > table)
        {
            throw new PipelineGateException(PgCode.TextSequenceTooLong,
                string.Create(CultureInfo.InvariantCulture, $"max-length is {maxLength} tokens but the model's position table has {table} rows; a longer sequence would index past it."),
                textPath, hint: string.Create(CultureInfo.InvariantCulture, $"Set max-length (or --max-length) to at most {table}; longer lines are then cut to it."));
        }

        return FromLines(textPath, TextLines.Read(textPath), tokenizerPath, maxLength, modelInputs);
    }

    /// <summary>Sentences already read (e.g. both sides of labelled pairs), tokenized as <see cref="Open"/> does; <paramref name="source"/> names them in errors.</summary>
    internal static TextDataset FromLines(string source, IReadOnlyList<string> lines, string tokenizerPath, int maxLength, IReadOnlyList<(string Name, TensorElementType Type, long[] Dims)> modelInputs)
    {
        var inputs = Roles(modelInputs, source);
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(tokenizerPath));
        var truncated = 0;
        var rows = new int[lines.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = tokenizer.Encode(lines[i], maxLength, out var cut);
            truncated += cut ? 1 : 0;
        }

        return new TextDataset(source, rows, inputs, tokenizer.PadId, truncated, maxLength);
    }

    public EvalBatch ReadBatch(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        var length = 0;
        for (var r = start; r < start + count; r++)
        {
            length = Math.Max(length, _rows[r].Length);
        }

        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (name, role, type) in _inputs)
        {
            var values = new long[count * length];
            for (var r = 0; r < count; r++)
            {
                var row = _rows[start + r];
                for (var t = 0; t < length; t++)
                {
                    values[(r * length) + t] = role switch
                    {
                        InputRole.InputIds => t < row.Length ? row[t] : _pad,
                        InputRole.AttentionMask => t < row.Length ? 1 : 0,
                        InputRole.PositionIds => t,
                        _ => 0,
                    };
                }
            }

            tensors[name] = type == TensorElementType.Int32
                ? TensorData.Create(Array.ConvertAll(values, static v => (int)v), count, length)
                : TensorData.Create(values, count, length);
        }

        return new EvalBatch(start, count, tensors, labels: null);
    }

    public void Dispose()
    {
    }

    private static (string, InputRole, TensorElementType)[] Roles(IReadOnlyList<(string Name, TensorElementType Type, long[] Dims)> modelInputs, string textPath)
    {
        var result = new List<(string, InputRole, TensorElementType)>();
        var unknown = new List<string>();
        foreach (var (name, type, dims) in modelInputs)
        {
            InputRole? role = name.ToLowerInvariant() switch
            {
                var n when n.Contains("input_ids", StringComparison.Ordinal) || n == "ids" => InputRole.InputIds,
                var n when n.Contains("attention_mask", StringComparison.Ordinal) || n.Contains("input_mask", StringComparison.Ordinal) => InputRole.AttentionMask,
                var n when n.Contains("token_type_ids", StringComparison.Ordinal) || n.Contains("segment_ids", StringComparison.Ordinal) => InputRole.TokenTypeIds,
                var n when n.Contains("position_ids", StringComparison.Ordinal) => InputRole.PositionIds,
                _ => null,
            };
            if (role is null || type is not (TensorElementType.Int64 or TensorElementType.Int32) || dims.Length != 2)
            {
                unknown.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' ({TensorElementTypeInfo.Name(type)}, rank {dims.Length})"));
                continue;
            }

            result.Add((name, role.Value, type));
        }

        if (unknown.Count > 0 || !result.Any(static r => r.Item2 == InputRole.InputIds))
        {
            throw new PipelineGateException(PgCode.TextModelInputsUnsupported,
                $"Text can feed a BERT-class encoder's int64/int32 [batch, sequence] inputs named input_ids, attention_mask, token_type_ids and position_ids; this model has {(unknown.Count > 0 ? string.Join(", ", unknown) : "no input_ids input")}.",
                textPath, hint: "Use text data with a model that takes token ids, or give the model's inputs as arrays (.npz/.npy) instead.");
        }

        return [.. result];
    }
}
