using System.Reflection;
using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime.Native;

/// <summary>
/// Finds and loads libonnxruntime. Order: the override (PIPELINEGATE_ORT_PATH, a file or a folder),
/// then next to this assembly (runtimes/&lt;rid&gt;/native, then the folder itself), then the per-user
/// cache that the build fills. The first candidate that loads wins; when none does, the error lists
/// every place looked at and why each failed.
/// </summary>
public static class NativeLibraryLocator
{
    public const string OverrideVariable = "PIPELINEGATE_ORT_PATH";
    public const string CacheVariable = "PIPELINEGATE_CACHE";
    public const string BundledVersion = "1.30.0";

    /// <summary>The platform's file names for the library, most specific first.</summary>
    public static IReadOnlyList<string> LibraryFileNames()
    {
        if (OperatingSystem.IsWindows())
        {
            return ["onnxruntime.dll"];
        }

        if (OperatingSystem.IsMacOS())
        {
            return ["libonnxruntime.1.dylib", "libonnxruntime.dylib"];
        }

        return ["libonnxruntime.so.1", "libonnxruntime.so"];
    }

    /// <summary>The runtime identifier used in runtimes/&lt;rid&gt;/native (e.g. linux-x64).</summary>
    public static string Rid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{arch}";
    }

    /// <summary>The per-user cache folder (the build's fetch writes the same place).</summary>
    public static string CacheDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            return Path.Combine(xdg, "pipelinegate");
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "pipelinegate");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pipelinegate");
    }

    /// <summary>Candidate paths in search order, each with where it came from.</summary>
    public static IReadOnlyList<(string Path, string Source)> Candidates(string? overridePath = null)
    {
        var list = new List<(string, string)>();
        var names = LibraryFileNames();
        overridePath ??= Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            if (Directory.Exists(overridePath))
            {
                list.AddRange(names.Select(n => (Path.Combine(overridePath, n), $"{OverrideVariable} folder")));
            }
            else
            {
                list.Add((overridePath, OverrideVariable));
            }

            // An explicit override is final: silently falling back to the bundled CPU build would
            // measure something other than what the user asked for.
            return list;
        }

        var assemblyDir = Path.GetDirectoryName(typeof(NativeLibraryLocator).Assembly.Location);
        if (string.IsNullOrEmpty(assemblyDir))
        {
            assemblyDir = AppContext.BaseDirectory;
        }

        var rid = Rid();
        list.AddRange(names.Select(n => (Path.Combine(assemblyDir, "runtimes", rid, "native", n), "next to the assembly (runtimes/" + rid + "/native)")));
        list.AddRange(names.Select(n => (Path.Combine(assemblyDir, n), "next to the assembly")));
        list.AddRange(names.Select(n => (Path.Combine(CacheDirectory(), "onnxruntime", BundledVersion, "runtimes", rid, "native", n), "per-user cache")));
        return list;
    }

    /// <summary>Loads the first candidate that loads; throws PG3001 listing every attempt.</summary>
    public static (nint Handle, string Path) Load(string? overridePath = null)
    {
        var attempts = new List<string>();
        foreach (var (path, source) in Candidates(overridePath))
        {
            if (!File.Exists(path))
            {
                attempts.Add($"  {path} ({source}): not found");
                continue;
            }

            try
            {
                return (NativeLibrary.Load(path), path);
            }
            catch (DllNotFoundException ex)
            {
                attempts.Add($"  {path} ({source}): {ex.Message}");
            }
            catch (BadImageFormatException ex)
            {
                attempts.Add($"  {path} ({source}): not a library for this platform ({ex.Message})");
            }
        }

        throw new PipelineGateException(PgCode.NativeLibraryNotFound,
            "ONNX Runtime's native library could not be loaded. Looked in:" + Environment.NewLine + string.Join(Environment.NewLine, attempts),
            hint: $"Build the project once (it fetches ONNX Runtime {BundledVersion} into the cache), or set {OverrideVariable} to a libonnxruntime file or folder.");
    }

    internal static string AssemblyVersion() =>
        typeof(NativeLibraryLocator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
