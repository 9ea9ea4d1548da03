namespace PipelineGate.Cli;

/// <summary>An IProgress that reports on the calling thread (System.Progress posts to the thread pool, out of order).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
