using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace PipelineGate.Runtime;

/// <summary>
/// The process-wide ONNX Runtime environment (ORT allows one per process), over the official managed
/// API. Its log lines are routed to <see cref="Log"/> instead of ORT's coloured stderr output; with no
/// subscriber, errors and worse go to stderr. It is created on first use and lives until the process ends.
/// </summary>
public static class OrtEnvironment
{
    private static readonly Lazy<OrtEnv> Env = new(CreateEnv, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> LoadedLibrary = new(FindLoadedLibrary, LazyThreadSafetyMode.ExecutionAndPublication);

    // Kept alive for the process: ORT calls it from native threads for as long as the environment exists.
    private static readonly DOrtLoggingFunction Logger = OnLog;

    /// <summary>Receives ORT's log lines (severity, category, message). Called on ORT's threads; handlers must not throw or block.</summary>
    public static event Action<OrtLogLevel, string, string>? Log;

    /// <summary>Lowest severity ORT reports. Set before the first session is created.</summary>
    public static OrtLogLevel MinimumLevel { get; set; } = OrtLogLevel.Warning;

    /// <summary>ONNX Runtime's version string (e.g. 1.31.1).</summary>
    public static string Version => Env.Value.GetVersionString();

    /// <summary>"cpu" for Microsoft.ML.OnnxRuntime, "gpu" for Microsoft.ML.OnnxRuntime.Gpu.Linux (chosen at build time).</summary>
    public static string Flavour =>
#if PIPELINEGATE_ORT_GPU
        "gpu";
#else
        "cpu";
#endif

    /// <summary>The NuGet package this build's ONNX Runtime comes from.</summary>
    public static string PackageId => Flavour == "gpu" ? "Microsoft.ML.OnnxRuntime.Gpu.Linux" : "Microsoft.ML.OnnxRuntime";

    /// <summary>Path of the native library in use (read from the process's loaded modules), or "unknown".</summary>
    public static string LibraryPath => LoadedLibrary.Value;

    /// <summary>Execution providers compiled into the library. This says nothing about whether one can load: use <see cref="ExecutionProviders.Probe"/>.</summary>
    public static IReadOnlyList<string> CompiledProviders => Env.Value.GetAvailableProviders();

    internal static OrtEnv Instance => Env.Value;

    private static OrtEnv CreateEnv()
    {
        OrtLibraryOverride.Install();
        var options = new EnvironmentCreationOptions
        {
            logId = "pipelinegate",
            logLevel = (OrtLoggingLevel)(int)MinimumLevel,
            loggingFunction = Logger,
        };
        try
        {
            return OrtEnv.CreateInstanceWithOptions(ref options);
        }
        catch (Exception ex) when (Unwrap(ex) is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw OrtLibraryOverride.LoadFailure(Unwrap(ex));
        }
    }

    /// <summary>The managed API loads the library in a static constructor, so its failures arrive wrapped.</summary>
    private static Exception Unwrap(Exception ex) => ex is TypeInitializationException { InnerException: { } inner } ? Unwrap(inner) : ex;

    private static string FindLoadedLibrary()
    {
        _ = Env.Value;
        var names = OperatingSystem.IsWindows() ? new[] { "onnxruntime.dll" } : ["libonnxruntime.so", "libonnxruntime.so.1", "libonnxruntime.dylib", "libonnxruntime.1.dylib"];
        using var process = Process.GetCurrentProcess();
        foreach (ProcessModule module in process.Modules)
        {
            var file = Path.GetFileName(module.FileName);
            if (names.Any(n => string.Equals(n, file, StringComparison.OrdinalIgnoreCase) || file.StartsWith(n + ".", StringComparison.OrdinalIgnoreCase)))
            {
                return module.FileName;
            }
        }

        return "unknown";
    }

    private static void OnLog(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        try
        {
            var level = (OrtLogLevel)(int)severity;
            ProviderLogCapture.Offer(level, message);
            var handler = Log;
            if (handler is not null)
            {
                handler(level, category, message);
            }
            else if (level >= OrtLogLevel.Error && !ProviderLogCapture.Active)
            {
                Console.Error.WriteLine($"onnxruntime: {message}");
            }
        }
        catch (Exception)
        {
            // An exception crossing into native code would take the process down; a lost log line would not.
        }
    }
}
