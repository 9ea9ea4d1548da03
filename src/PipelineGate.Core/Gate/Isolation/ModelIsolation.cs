using System.Diagnostics;

namespace PipelineGate.Gate.Isolation;

/// <summary>
/// How a gate measures each model in a child process so that a native crash or hang in ONNX Runtime
/// costs that model only: <see cref="Worker"/> builds the command line of the worker (the CLI re-invoking
/// itself), and the watchdog stops a worker that has not finished within <see cref="Timeout"/>.
/// </summary>
/// <param name="Worker">Given the model's name and the result file the worker must write, the process to start.</param>
/// <param name="Timeout">Wall-clock bound for one model (build, accuracy, every target, the re-measure).</param>
public sealed record ModelIsolation(Func<string, WorkerFiles, ProcessStartInfo> Worker, TimeSpan Timeout)
{
    /// <summary>The default watchdog bound per model when neither --model-timeout nor PIPELINEGATE_MODEL_TIMEOUT says otherwise.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(15);
}
