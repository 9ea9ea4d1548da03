using System.Globalization;

namespace PipelineGate.Tensors;

/// <summary>
/// The one way a tensor shape is written in messages and reports: <c>[1,3,48,320]</c>, an unknown
/// dimension by its symbolic name (<c>[batch,3,48,W]</c>) or <c>?</c>. (An .npy header's Python tuple is a
/// file format, not this: see <c>NpyHeader.ShapeText</c>.)
/// </summary>
public static class Shapes
{
    public const string Unknown = "?";

    /// <summary>The batch axis of a model input that samples are stacked along.</summary>
    public const string Batch = "N";

    public static string Text(IEnumerable<long> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return Text(dimensions.Select(static d => Dim(d)));
    }

    public static string Text(IEnumerable<string> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return "[" + string.Join(",", dimensions) + "]";
    }

    /// <summary>A dimension: its size when known (≥ 0), else its symbolic name, else <c>?</c>.</summary>
    public static string Dim(long size, string? symbol = null) =>
        size >= 0 ? size.ToString(CultureInfo.InvariantCulture) : symbol is { Length: > 0 } ? symbol : Unknown;

    /// <summary>A model input's shape as evaluation data must match it: the first axis is <c>N</c> (samples).</summary>
    public static string WithBatch(IReadOnlyList<long> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return Text(dimensions.Select(static (d, i) => i == 0 ? Batch : Dim(d)));
    }
}
