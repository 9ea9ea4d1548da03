using System.Globalization;

namespace PipelineGate.Cli.Tests;

/// <summary>Helpers of the isolation and concurrency tests: worker processes by folder, sample copies.</summary>
internal static class IsolationTestsSupport
{
    /// <summary>Measurement workers whose command line names <paramref name="folder"/> (Linux /proc).</summary>
    public static int[] Workers(string folder) =>
        Directory.GetDirectories("/proc").Select(static d => Path.GetFileName(d)).Where(static n => n.All(char.IsAsciiDigit))
            .Select(static n => (Pid: int.Parse(n, CultureInfo.InvariantCulture), Cmd: ReadCmdline(n)))
            .Where(p => p.Cmd.Contains("measure-worker", StringComparison.Ordinal) && p.Cmd.Contains(folder, StringComparison.Ordinal))
            .Select(static p => p.Pid).ToArray();

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(f, dest);
        }
    }

    private static string ReadCmdline(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
