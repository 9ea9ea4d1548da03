using System.Diagnostics;
using System.Security.Cryptography;
using PipelineGate.IO;

namespace PipelineGate.TestAssets;

/// <summary>
/// Fetches pinned packages (by exact version and SHA-256) from Debian, npm and NuGet into the per-user cache
/// (PIPELINEGATE_CACHE, else ~/.cache/pipelinegate) and unpacks them once. A cross-process lock keeps
/// parallel test assemblies from fetching the same package twice. A failure says what to do; it never
/// turns into a silently skipped test.
/// </summary>
public static class AssetCache
{
    /// <summary>The per-user cache the build's ONNX Runtime fetch also uses (PIPELINEGATE_CACHE, XDG_CACHE_HOME, ~/.cache).</summary>
    public static string Root => PipelineGate.IO.CacheFolder.Path();

    /// <summary>Downloads a Debian package with apt-get, checks it, and unpacks it; returns the unpacked root.</summary>
    public static string DebianPackage(string name, string version, string sha256)
    {
        var dir = Path.Combine(Root, "debian", $"{name}_{version}");
        return Once(dir, () =>
        {
            var download = Path.Combine(dir, "download");
            Directory.CreateDirectory(download);
            if (Run("apt-get", $"download {name}={version}", download, throwOnError: false) != 0)
            {
                // A fresh machine may not have package lists yet.
                Run("apt-get", "update", download, throwOnError: true);
                Run("apt-get", $"download {name}={version}", download, throwOnError: true);
            }

            var deb = Directory.GetFiles(download, "*.deb").Single();
            Verify(deb, sha256);
            var root = Path.Combine(dir, "root");
            Run("dpkg-deb", $"-x \"{deb}\" \"{root}\"", dir, throwOnError: true);
            File.Delete(deb);
            return root;
        });
    }

    /// <summary>Downloads an npm package tarball with npm pack (no install scripts run), checks it, unpacks it; returns its 'package' folder.</summary>
    public static string NpmPackage(string name, string version, string sha256)
    {
        var dir = Path.Combine(Root, "npm", $"{name.Replace('/', '+')}@{version}");
        return Once(dir, () =>
        {
            var download = Path.Combine(dir, "download");
            Directory.CreateDirectory(download);
            Run("npm", $"pack {name}@{version} --ignore-scripts --silent --pack-destination \"{download}\"", download, throwOnError: true);
            var tgz = Directory.GetFiles(download, "*.tgz").Single();
            Verify(tgz, sha256);
            var root = Path.Combine(dir, "root");
            Directory.CreateDirectory(root);
            Run("tar", $"-xzf \"{tgz}\" -C \"{root}\"", dir, throwOnError: true);
            File.Delete(tgz);
            return Path.Combine(root, "package");
        });
    }

    /// <summary>
    /// Restores a NuGet package with <c>dotnet restore</c> of a throw-away project holding one
    /// <c>PackageDownload</c> (nothing is built or executed from it), checks the .nupkg, and returns the
    /// package's extracted folder (lower-case id/version layout of a NuGet packages folder).
    /// </summary>
    public static string NuGetPackage(string id, string version, string sha256)
    {
        var dir = Path.Combine(Root, "nuget", $"{id.ToLowerInvariant()}.{version}");
        return Once(dir, () =>
        {
            var work = Path.Combine(dir, "restore");
            Directory.CreateDirectory(work);
            PackageDownloadProject.Write(work, id, version);
            var packages = Path.Combine(dir, "packages");
            Run("dotnet", $"restore {PackageDownloadProject.FileName} --packages \"{packages}\" --nologo", work, throwOnError: true);
            var root = Path.Combine(packages, id.ToLowerInvariant(), version);
            Verify(Path.Combine(root, $"{id.ToLowerInvariant()}.{version}.nupkg"), sha256);
            Directory.Delete(work, recursive: true);
            return root;
        });
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Verify(string path, string expected)
    {
        var actual = Sha256(path);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(path);
            throw new InvalidOperationException($"{Path.GetFileName(path)} has SHA-256 {actual}, expected {expected}. It was deleted; the registry served a different file than the one pinned.");
        }
    }

    private static string Once(string dir, Func<string> fetch)
    {
        Directory.CreateDirectory(dir);
        var stamp = Path.Combine(dir, ".complete");
        using var gate = AcquireLock(Path.Combine(dir, ".lock"));
        if (File.Exists(stamp))
        {
            return File.ReadAllText(stamp).Trim();
        }

        var result = fetch();
        PipelineGate.IO.AtomicFile.WriteAllText(stamp, result); // a run killed mid-write must not leave a truncated stamp
        return result;
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static int Run(string file, string arguments, string workingDirectory, bool throwOnError)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}: {stderr}{stdout.Result}");
        }

        return process.ExitCode;
    }
}
