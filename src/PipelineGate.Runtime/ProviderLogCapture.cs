namespace PipelineGate.Runtime;

/// <summary>
/// Collects ORT's warning and error log lines while a provider is being appended or probed. ORT's
/// exception says only "Failed to load shared library"; its log names the library that is missing
/// (e.g. libcudnn_adv.so.9), which is what the user needs to read. One capture at a time (a lock),
/// so lines from a concurrent session are rare, and they would only add context.
/// </summary>
internal static class ProviderLogCapture
{
    private static readonly Lock Gate = new();
    private static List<string>? _lines;

    public static bool Active => Volatile.Read(ref _lines) is not null;

    public static (T Result, IReadOnlyList<string> Lines) Capture<T>(Func<T> action)
    {
        lock (Gate)
        {
            var lines = new List<string>();
            Volatile.Write(ref _lines, lines);
            try
            {
                var result = action();
                return (result, Snapshot(lines));
            }
            catch (Exception ex)
            {
                throw new CapturedException(ex, Snapshot(lines));
            }
            finally
            {
                Volatile.Write(ref _lines, null);
            }
        }
    }

    public static void Offer(OrtLogLevel level, string message)
    {
        if (level < OrtLogLevel.Warning || Volatile.Read(ref _lines) is not { } lines)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(message.Trim());
        }
    }

    private static string[] Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    /// <summary>An exception thrown while capturing, with the log lines ORT wrote before it.</summary>
    internal sealed class CapturedException(Exception inner, IReadOnlyList<string> lines) : Exception(inner.Message, inner)
    {
        public IReadOnlyList<string> Lines { get; } = lines;
    }
}
