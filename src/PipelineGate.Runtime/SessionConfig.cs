namespace PipelineGate.Runtime;

/// <summary>
/// Everything that decides how a session runs. It is part of every measurement's fingerprint, so two
/// results are only comparable when their configs are equal. Defaults are ORT's except threads:
/// one intra-op thread by default, because on a shared CI runner more threads mostly measure the neighbours.
/// </summary>
public sealed record SessionConfig
{
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>Provider options passed to CUDA/TensorRT (e.g. device_id=0).</summary>
    public IReadOnlyDictionary<string, string> ProviderOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Intra-op threads; 0 lets ORT pick (one per physical core).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Inter-op threads (used only with parallel execution); 0 lets ORT pick.</summary>
    public int InterOpThreads { get; init; } = 1;

    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>Run independent branches in parallel (ORT_PARALLEL) instead of sequentially.</summary>
    public bool ParallelExecution { get; init; }

    public bool MemoryArena { get; init; } = true;

    /// <summary>When set, ORT writes a profile JSON with this prefix.</summary>
    public string? ProfilingPrefix { get; init; }

    /// <summary>Fixes symbolic dimensions by name (e.g. batch=1) before the session is created.</summary>
    public IReadOnlyDictionary<string, long> FreeDimensions { get; init; } = new Dictionary<string, long>();

    /// <summary>Session config entries (onnxruntime_session_options_config_keys.h).</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>Where ORT should save the optimized graph, if anywhere.</summary>
    public string? OptimizedModelPath { get; init; }

    /// <summary>Custom-op libraries to register, each checked against its pinned hash; none unless the config allows them.</summary>
    public IReadOnlyList<CustomOpLibrary> CustomOpLibraries { get; init; } = [];

    public static SessionConfig Default { get; } = new();
}
