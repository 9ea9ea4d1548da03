namespace PipelineGate.Measure.Latency;

/// <summary>Something to time: one call is one inference, with everything else prepared beforehand.</summary>
public interface IInferenceTarget
{
    string Name { get; }

    void RunOnce();
}
