using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime;

/// <summary>
/// PIPELINEGATE_ORT_PATH: use another ONNX Runtime build (a file, or a folder holding libonnxruntime) than
/// the one the NuGet package placed beside the tool, e.g. a custom build or one with another provider.
/// It is installed as the DllImport resolver of the managed ORT assembly, so the official API loads
/// that library instead; an override that does not load is an error, never a silent fall back to the
/// bundled build (that would measure something other than what the user asked for).
/// </summary>
internal static class OrtLibraryOverride
{
    public const string Variable = "PIPELINEGATE_ORT_PATH";
    private static int _installed;

    public static string? Requested => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : null;

    public static void Install()
    {
        if (Requested is null || Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set (by the host); the override cannot apply. Said by LoadFailure if loading fails.
        }
    }

    public static PipelineGateException LoadFailure(Exception ex)
    {
        var requested = Requested;
        if (requested is not null && ex is EntryPointNotFoundException)
        {
            return new PipelineGateException(PgCode.NativeLibraryIncompatible,
                $"ONNX Runtime at {Variable}='{requested}' is not compatible with the managed API {typeof(OrtEnv).Assembly.GetName().Version?.ToString(3)}: {ex.Message}", requested,
                hint: $"Use ONNX Runtime 1.31 or newer, or unset {Variable} to use the bundled build.", inner: ex);
        }

        return requested is not null
            ? new PipelineGateException(PgCode.NativeLibraryNotFound,
                $"ONNX Runtime could not be loaded from {Variable}='{requested}': {ex.Message}", requested,
                hint: $"Point {Variable} at a libonnxruntime file (or its folder) of ONNX Runtime 1.31 or newer for this platform, or unset it to use the bundled build.", inner: ex)
            : new PipelineGateException(PgCode.NativeLibraryNotFound,
                $"ONNX Runtime's native library could not be loaded: {ex.Message}",
                hint: $"The tool package carries it under runtimes/<rid>/native; this platform ({RuntimeInformation.RuntimeIdentifier}) may not be one the {OrtEnvironment.PackageId} package supports. Reinstall the tool, or set {Variable} to a libonnxruntime build.", inner: ex);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase) || Requested is not { } requested)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates(requested))
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        // Zero would let the runtime fall back to the bundled library; a DllNotFoundException names the override instead.
        throw new DllNotFoundException($"no loadable ONNX Runtime library at '{requested}' (looked for {string.Join(", ", Candidates(requested))})");
    }

    private static IEnumerable<string> Candidates(string requested)
    {
        if (!Directory.Exists(requested))
        {
            return [requested];
        }

        string[] names = OperatingSystem.IsWindows() ? ["onnxruntime.dll"]
            : OperatingSystem.IsMacOS() ? ["libonnxruntime.dylib", "libonnxruntime.1.dylib"]
            : ["libonnxruntime.so", "libonnxruntime.so.1"];
        return names.Select(n => Path.Combine(requested, n));
    }
}
