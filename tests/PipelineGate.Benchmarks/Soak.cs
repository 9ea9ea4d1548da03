using System.Diagnostics;
using System.Globalization;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// <c>soak [in-process-runs] [process-runs] [cli-dll]</c>: the gate on the sample (short measurement) run
/// many times in this process (GateRunner.Run, as `check --isolation off`), then many times as CLI
/// processes (`dotnet pipelinegate.dll check`, isolated workers). Prints managed heap, RSS and open file
/// descriptors of this process at intervals, and the files left in the temp folder and the output's work
/// folder. Growth shows as a trend in the columns, not as one number.
/// </summary>
internal static class Soak
{
    public static int Run(string[] args)
    {
        var inProcess = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var processes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var cli = args.Length > 2 ? args[2] : Path.Combine(RepoPaths.Root, "src", "PipelineGate.Cli", "bin", "Release", "net10.0", "pipelinegate.dll");
        var root = Path.Combine(Path.GetTempPath(), "pg-soak-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Fuzz.FuzzRunner.CopyFolder(Path.Combine(RepoPaths.Root, "samples", "digits"), Path.Combine(root, "digits"));
        var yml = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "pipelinegate.yml")).Replace("duration: 5s", "duration: 100ms", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(root, "pipelinegate.yml"), yml);
        var config = ConfigLoader.Load(Path.Combine(root, "pipelinegate.yml"));
        var tempBefore = TempEntries();
        Console.WriteLine("in-process: run, managed MB, RSS MB, open fds");
        for (var i = 1; i <= inProcess; i++)
        {
            var r = GateRunner.Run(config, new GateRunOptions { WorkDirectory = Path.Combine(root, ".work"), ToolVersion = "soak", VariantCache = Path.Combine(root, "cache") });
            if (r.Summary.Failed > 0)
            {
                Console.WriteLine($"run {i} failed a budget");
            }

            if (i == 1 || i % 50 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i}, {GC.GetTotalMemory(false) / 1e6:0.0}, {self.WorkingSet64 / 1e6:0.0}, {Fds()}"));
            }
        }

        Console.WriteLine("processes: run, exit code, seconds, files in .work (excluding variants), temp entries added");
        for (var i = 1; i <= processes; i++)
        {
            var clock = Stopwatch.StartNew();
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { cli, "check", "-o", "out" })
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["PIPELINEGATE_CACHE"] = Path.Combine(root, "cache");
            using var p = Process.Start(psi)!;
            var so = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEnd();
            p.WaitForExit();
            _ = so.Result;
            if (i == 1 || i % 10 == 0 || p.ExitCode != 0)
            {
                var work = Directory.GetFiles(Path.Combine(root, "out", ".work"), "*", SearchOption.AllDirectories).Length;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i}, {p.ExitCode}, {clock.Elapsed.TotalSeconds:0.00}, {work}, {TempEntries().Except(tempBefore).Count()}"));
            }
        }

        var leftover = Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories).Length;
        Console.WriteLine($"temporary (*.tmp) files left under the soak folder: {leftover}");
        Directory.Delete(root, recursive: true);
        return leftover == 0 ? 0 : 1;
    }

    private static int Fds() => Directory.GetFiles("/proc/self/fd").Length;

    private static HashSet<string> TempEntries() => Directory.EnumerateFileSystemEntries(Path.GetTempPath()).Where(static e => !Path.GetFileName(e).StartsWith("pg-soak-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
}
