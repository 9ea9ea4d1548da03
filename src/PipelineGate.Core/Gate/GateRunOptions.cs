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

    public bool WarnOnly { get; init; }

    /// <summary>This run's shard, 1-based (Index of Count); models are dealt round-robin.</summary>
    public (int Index, int Count)? Shard { get; init; }

    public required string ToolVersion { get; init; }
}
