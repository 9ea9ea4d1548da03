namespace PipelineGate.Gate.Config;

public enum MetricDirection
{
    LowerIsBetter,
    HigherIsBetter,
}
