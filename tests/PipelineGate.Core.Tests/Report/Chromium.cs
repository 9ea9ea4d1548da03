using System.Diagnostics;
using Xunit;

namespace PipelineGate.Tests.Report;

/// <summary>
/// Runs Debian's Chromium headless on a local file, offline: no network, no first-run work, a fresh
/// profile per run, and a hard timeout. The CI installs it with eng/install-chromium.sh; a missing
/// browser is a failure, not a skip, so the rendering check can never silently stop running.
/// </summary>
internal static class Chromium
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static string Find()
    {
        var found = Candidates.FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            "Chromium was not found at /usr/bin/chromium. The HTML report's browser test needs it: run eng/install-chromium.sh " +
            "(apt-get install -y chromium; the CI's .ci/run does this before the tests).");
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
