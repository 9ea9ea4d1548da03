using PipelineGate.Runtime;

namespace PipelineGate.Measure.Latency;

/// <summary>Times <see cref="PreparedRun.Run"/>: inputs and outputs already in native memory.</summary>
public sealed class PreparedRunTarget(string name, PreparedRun run) : IInferenceTarget
{
    public string Name { get; } = name;

    public void RunOnce() => run.Run();
}
