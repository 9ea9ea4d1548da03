namespace PipelineGate.Gate.Results;

public enum CheckOutcome
{
    Pass,
    Warn,
    Fail,
    Skipped,
}
