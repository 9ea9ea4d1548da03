using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace PipelineGate.Measure.Environment;

/// <summary>
/// Asks nvidia-smi for the GPUs and driver. It is looked up on PATH first so that "not installed" is
/// a plain answer rather than an exception, and it runs with a timeout: a wedged driver can make
/// nvidia-smi hang, and the doctor must still report.
/// </summary>
internal static class NvidiaSmi
{
    public const string Absent = "no nvidia-smi";

    public static readonly string[] Arguments = ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"];

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static GpuFacts Query()
    {
        var exe = FindOnPath(OperatingSystem.IsWindows() ? "nvidia-smi.exe" : "nvidia-smi");
        if (exe is null)
        {
            return new GpuFacts(GpuQueryStatus.Absent, Absent, []);
        }

        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(Timeout))
            {
                p.Kill(entireProcessTree: true);
                return Failed($"{exe} did not answer within {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (killed).");
            }

            p.WaitForExit();
            var text = stdout.Result.Trim();
            if (p.ExitCode != 0)
            {
                var said = string.Join(" ", new[] { text, stderr.Result.Trim() }.Where(static s => s.Length > 0));
                return Failed($"{exe} exited with code {p.ExitCode.ToString(CultureInfo.InvariantCulture)}{(said.Length > 0 ? ": " + said : ".")}");
            }

            var devices = Parse(text);
            return devices.Count == 0
                ? Failed($"{exe} listed no GPU.")
                : new GpuFacts(GpuQueryStatus.Ok, string.Join("; ", devices.Select(static d => $"{d.Name}, driver {d.DriverVersion}, {d.MemoryTotal}")), devices);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return Failed($"{exe} could not be run: {ex.Message}");
        }
    }

    /// <summary>Parses "name, driver_version, memory.total" lines (csv, noheader); lines of another shape are skipped.</summary>
    internal static IReadOnlyList<GpuDevice> Parse(string csv)
    {
        var devices = new List<GpuDevice>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The last two fields are the driver and the memory; the rest is the name, kept whole should it hold a comma.
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length < 3)
            {
                continue;
            }

            var memory = fields[^1];
            devices.Add(new GpuDevice(string.Join(", ", fields[..^2]), fields[^2], memory, MemoryBytes(memory)));
        }

        return devices;
    }

    private static long? MemoryBytes(string memory)
    {
        var parts = memory.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return parts[1] switch
        {
            "MiB" => n * 1024 * 1024,
            "GiB" => n * 1024 * 1024 * 1024,
            "KiB" => n * 1024,
            _ => null,
        };
    }

    private static GpuFacts Failed(string detail) => new(GpuQueryStatus.Failed, detail, []);

    private static string? FindOnPath(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
