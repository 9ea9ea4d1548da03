namespace PipelineGate.Gate.Isolation;

/// <summary>
/// Where a worker leaves its outcome: <see cref="Result"/> (a results.json of its one model) when the
/// run completed, or <see cref="Errors"/> (the coded diagnostics that stopped it). Both are written
/// atomically, so a worker that dies mid-write leaves neither.
/// </summary>
public sealed record WorkerFiles(string Result, string Errors)
{
    public static WorkerFiles In(string folder, string model)
    {
        var stem = Path.Combine(folder, "worker-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8] + "-" + Sanitize(model));
        return new WorkerFiles(stem + ".result.json", stem + ".errors.json");
    }

    public void Delete()
    {
        foreach (var p in new[] { Result, Errors })
        {
            try
            {
                File.Delete(p);
            }
            catch (IOException)
            {
                // A leftover worker file in the work folder is harmless.
            }
        }
    }

    private static string Sanitize(string name) =>
        new(name.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
}
