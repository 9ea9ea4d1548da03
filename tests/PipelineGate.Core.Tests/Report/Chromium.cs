using System.Diagnostics;
using Xunit;

namespace PipelineGate.Tests.Report;

/// <summary>
/// Runs Debian's Chromium headless on a local file, offline: no network, no first-run work, a fresh
/// profile per run, and a hard timeout. When the browser is missing, the first test that needs it runs
/// eng/install-chromium.sh (Debian's chromium, apt-get as root or through sudo), so `dotnet test` needs no
/// step by hand on a fresh machine; if that fails, the test fails (never skips) with the script's output,
/// so the rendering check can never silently stop running.
/// </summary>
internal static class Chromium
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Find() => Candidates.FirstOrDefault(File.Exists) ?? Installed.Value;

    private static string Install()
    {
        var script = Path.Combine(PipelineGate.TestAssets.RepoPaths.Root, "eng", "install-chromium.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        var found = Candidates.FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            $"Chromium was not found at /usr/bin/chromium and {script} could not install it (exit {process.ExitCode}). The HTML report's browser test needs " +
            $"Debian's chromium package: apt-get install -y chromium fonts-dejavu-core.\n{Tail(stdout.Result)}\n{Tail(stderr.Result)}");
        return found!;
    }

    /// <summary>Runs the browser on <paramref name="page"/> with extra arguments; returns its standard output.</summary>
    public static string Run(string page, TempFolder temp, params string[] extra)
    {
        var exe = Find();
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=" + temp.NewFolder("profile"), .. extra, new Uri(page).AbsoluteUri])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {exe}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds:0} s. stderr:\n{Tail(stderr.Result)}");
        }

        process.WaitForExit(); // flushes the redirected streams
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}. stderr:\n{Tail(stderr.Result)}");
        return stdout.Result;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
