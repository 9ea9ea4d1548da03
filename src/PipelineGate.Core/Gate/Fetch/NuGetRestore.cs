using System.Diagnostics;
using PipelineGate.Diagnostics;
using PipelineGate.IO;

namespace PipelineGate.Gate.Fetch;

/// <summary>
/// Restores one pinned NuGet package with the SDK the tool runs on: <c>dotnet restore</c> of a generated
/// throw-away project holding a single <c>PackageDownload</c> (nothing is built or executed from it), into a
/// packages folder of its own. The user's NuGet configuration (feeds, credentials, proxies) applies as for
/// any restore.
/// </summary>
internal static class NuGetRestore
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The package's extracted folder (lower-case id/version layout); restored first when it is not there.</summary>
    /// <exception cref="PipelineGateException">PG2046: the restore failed or the SDK could not be started.</exception>
    public static string Package(FetchSpec spec, string packagesRoot)
    {
        var folder = Path.Combine(packagesRoot, spec.PackageId.ToLowerInvariant(), spec.Version.ToLowerInvariant());

        // NuGet writes .nupkg.metadata last, after the package is extracted and verified.
        if (File.Exists(Path.Combine(folder, ".nupkg.metadata")))
        {
            return folder;
        }

        var work = Path.Combine(Path.GetTempPath(), "pipelinegate-fetch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            PackageDownloadProject.Write(work, spec.PackageId, spec.Version);
            var (exit, output) = Run(work, packagesRoot, spec);
            if (exit != 0 || !File.Exists(Path.Combine(folder, ".nupkg.metadata")))
            {
                throw NotRestorable(spec, $"'dotnet restore' exited with {exit}: {LastLines(output)}",
                    "Check the package id and version on the feed (nuget.org unless a NuGet.config says otherwise), the network, and any feed credentials; a version that was unlisted still restores, a deleted one does not.");
            }

            return folder;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp project is harmless.
            }
        }
    }

    private static (int Exit, string Output) Run(string work, string packagesRoot, FetchSpec spec)
    {
        // DOTNET_HOST_PATH is set by the SDK for processes it starts (dotnet run, tools); else dotnet on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "restore", PackageDownloadProject.FileName, "--packages", packagesRoot, "--nologo", "-v", "q" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw NotRestorable(spec, $"'{host}' could not be started.", SdkHint);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw NotRestorable(spec, $"'{host}' could not be started: {e.Message}.", SdkHint);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw NotRestorable(spec, $"'dotnet restore' did not finish within {Timeout.TotalMinutes:0} minutes.", "Check the network and the feed; run the gate again when the feed answers.");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    private const string SdkHint = "Fetching a package needs the .NET SDK ('dotnet' on PATH, or DOTNET_HOST_PATH); install it, or commit the file and use 'path' instead of 'fetch'.";

    private static PipelineGateException NotRestorable(FetchSpec spec, string why, string hint) =>
        new(PgCode.FetchPackageNotRestorable, $"NuGet package {spec.PackageId} {spec.Version} could not be restored: {why}", hint: hint);

    private static string LastLines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" ", lines.TakeLast(3));
    }
}
