using System.Runtime.InteropServices;
using PipelineGate.Runtime.Native;

namespace PipelineGate.Runtime;

/// <summary>
/// The process-wide ONNX Runtime environment (ORT allows one per process). Its log lines are routed
/// to <see cref="Log"/> instead of ORT's coloured stderr output; with no subscriber, errors and worse
/// go to stderr. The environment is created on first use and lives until the process ends.
/// </summary>
public static unsafe class OrtEnvironment
{
    private static readonly Lazy<nint> Env = new(CreateEnv, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Receives ORT's log lines (severity, category, message). Called on ORT's threads; handlers must not throw or block.</summary>
    public static event Action<OrtLogLevel, string, string>? Log;

    /// <summary>Lowest severity ORT reports. Set before the first session is created.</summary>
    public static OrtLogLevel MinimumLevel { get; set; } = OrtLogLevel.Warning;

    /// <summary>ONNX Runtime's version string (e.g. 1.30.0).</summary>
    public static string Version => OrtApi.Instance.Version;

    /// <summary>Path of the native library in use.</summary>
    public static string LibraryPath => OrtApi.Instance.LibraryPath;

    /// <summary>ORT's build description (compiler, commit).</summary>
    public static string BuildInfo => OrtApi.Instance.BuildInfo();

    /// <summary>Execution providers compiled into the library. This says nothing about whether one can load: use <see cref="ExecutionProviders.Probe"/>.</summary>
    public static IReadOnlyList<string> CompiledProviders => OrtApi.Instance.GetAvailableProviders();

    internal static nint Handle => Env.Value;

    private static nint CreateEnv() =>
        OrtApi.Instance.CreateEnvWithCustomLogger(&OnLog, (int)MinimumLevel, "pipelinegate");

    [UnmanagedCallersOnly]
    private static void OnLog(nint param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            var level = (OrtLogLevel)severity;
            var text = Marshal.PtrToStringUTF8((nint)message) ?? string.Empty;
            var cat = Marshal.PtrToStringUTF8((nint)category) ?? string.Empty;
            var handler = Log;
            if (handler is not null)
            {
                handler(level, cat, text);
            }
            else if (level >= OrtLogLevel.Error)
            {
                Console.Error.WriteLine($"onnxruntime: {text}");
            }
        }
        catch (Exception)
        {
            // An exception crossing into native code would take the process down; a lost log line would not.
        }
    }
}
