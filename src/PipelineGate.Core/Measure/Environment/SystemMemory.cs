using System.Globalization;

namespace PipelineGate.Measure.Environment;

/// <summary>Total and usable memory. The container limit matters on CI runners, where it is often far below the host's memory.</summary>
internal static class SystemMemory
{
    public static MemoryFacts Capture()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MemoryFacts(MemTotal() ?? limit, limit);
    }

    private static long? MemTotal()
    {
        const string path = "/proc/meminfo";
        const string key = "MemTotal:";
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(static l => l.StartsWith(key, StringComparison.Ordinal));
        var kb = line?[key.Length..].Trim().Split(' ')[0];
        return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
    }
}
