using System.Diagnostics;
using System.Globalization;

namespace PipelineGate.Measure.Environment;

/// <summary>
/// Resident memory of this process. On Linux, VmRSS and VmHWM (peak) from /proc/self/status, and the
/// peak can be reset (writing 5 to /proc/self/clear_refs) so that a peak belongs to one model's
/// lifetime. Elsewhere, the working set figures .NET reports (peak cannot be reset there).
/// </summary>
public static class ProcessMemory
{
    public static long CurrentBytes() => ReadStatus("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

    public static long PeakBytes() => ReadStatus("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

    /// <summary>Resets the peak to the current value; false where the OS cannot.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static long? ReadStatus(string key)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var kb = line[key.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
