using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Gate.Isolation;

/// <summary>
/// What came back from a worker: its one-model result; the coded errors that stopped it (a user's mistake,
/// which stops the gate as it would in process); or a failure of the worker itself (crash, hang), which
/// costs only this model.
/// </summary>
public sealed record WorkerOutcome(GateResult? Result, IReadOnlyList<Diagnostic> StoppedBy, Diagnostic? Failure)
{
    public static WorkerOutcome Completed(GateResult result) => new(result, [], null);

    public static WorkerOutcome Stopped(IReadOnlyList<Diagnostic> errors) => new(null, errors, null);

    public static WorkerOutcome Failed(Diagnostic failure) => new(null, [], failure);
}
