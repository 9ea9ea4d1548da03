namespace PipelineGate.Gate;

/// <summary>How a gate run compares and where it writes.</summary>
public sealed record GateRunOptions
{
    public string? Profile { get; init; }

    /// <summary>Git ref whose merge base supplies the baseline models (measured interleaved in this run).</summary>
    public string? BaselineRef { get; init; }

    /// <summary>A stored results.json to compare against (release ratchets, expensive metrics).</summary>
    public string? BaselineResults { get; init; }

    /// <summary>Folder for built variants and baseline exports (a cache; safe to delete).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>
    /// Folder for built variants shared between runs and output folders (content-addressed by model bytes, recipe
    /// and tool version; builds are locked, writes atomic); null keeps them under <see cref="WorkDirectory"/>.
    /// </summary>
    public string? VariantCache { get; init; }

    public bool WarnOnly { get; init; }

    /// <summary>This run's shard, 1-based (Index of Count); models are dealt round-robin.</summary>
    public (int Index, int Count)? Shard { get; init; }

    public required string ToolVersion { get; init; }

    /// <summary>Measure only the model of this name (a measurement worker's one model).</summary>
    public string? OnlyModel { get; init; }

    /// <summary>Measure each model in a worker process under a watchdog; null measures in this process.</summary>
    public Isolation.ModelIsolation? Isolation { get; init; }
}
