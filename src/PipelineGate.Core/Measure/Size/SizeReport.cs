namespace PipelineGate.Measure.Size;

/// <summary>
/// Deterministic size metrics of a model: exact numbers, gated exactly. Compressed bytes are what a
/// download or a package costs (pruned zeros compress; int8 weights shrink the file itself).
/// </summary>
public sealed record SizeReport
{
    public required long FileBytes { get; init; }

    public required long ExternalDataBytes { get; init; }

    public long TotalBytes => FileBytes + ExternalDataBytes;

    /// <summary>Gzip (deflate, optimal level) of the model file and its external data, concatenated.</summary>
    public required long CompressedBytes { get; init; }

    public required long ParameterCount { get; init; }

    public required long NonzeroParameterCount { get; init; }

    public required IReadOnlyDictionary<string, long> BytesByType { get; init; }

    public required long Macs { get; init; }

    /// <summary>False when some heavy nodes had unknown shapes; <see cref="Macs"/> is then a lower bound.</summary>
    public required bool MacsComplete { get; init; }
}
