namespace PipelineGate.Init;

/// <summary>What init measured for one model (or why it left the model out).</summary>
public sealed record ModelPlan
{
    /// <summary>Path relative to the config's folder, with '/' separators.</summary>
    public required string RelativePath { get; init; }

    public required string Name { get; init; }

    /// <summary>Set when the model cannot be used: the diagnostic text (PG2xxx/PG3xxx/PG45xx) quoted by PG1016.</summary>
    public string? Unusable { get; init; }

    public string? Signature { get; init; }

    public long FileBytes { get; init; }

    public long Parameters { get; init; }

    /// <summary>Measured latency of the original on cpu: p90 and the upper end of its 95% interval (ms).</summary>
    public LatencyPlan? Latency { get; init; }

    /// <summary>The evaluation data folder found next to the model (relative), its labels array, and the accuracy measured on it.</summary>
    public DataPlan? Data { get; init; }

    /// <summary>The suggested int8 variant, when dynamic quantization applies; null with <see cref="Int8Note"/> saying why not.</summary>
    public Int8Plan? Int8 { get; init; }

    public string? Int8Note { get; init; }

    /// <summary>
    /// Named symbolic input dimensions that init (without data) measured at size 1 and writes as
    /// <c>dims:</c> placeholders for the user to set; unnamed dynamic axes cannot be set by name and are in
    /// <see cref="UnnamedDims"/>.
    /// </summary>
    public IReadOnlyList<string> PlaceholderDims { get; init; } = [];

    public IReadOnlyList<string> UnnamedDims { get; init; } = [];
}

public sealed record LatencyPlan(double P90Ms, double P90UpperMs, int Samples);

public sealed record DataPlan(string RelativePath, string? Labels, string Metric, double? Accuracy, double? AccuracyLower);

public sealed record Int8Plan(long FileBytes, LatencyPlan Latency, double? Accuracy);
