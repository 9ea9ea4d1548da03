using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime;

/// <summary>
/// Appends execution providers to session options, and decides whether one is usable by creating a
/// session with it. ORT's GetAvailableProviders lists what was compiled in (the GPU package lists CUDA
/// and TensorRT on a machine with no GPU and no CUDA libraries), so it is never taken as availability.
/// </summary>
public static class ExecutionProviders
{
    /// <summary>The hint for a provider the CPU package does not have at all.</summary>
    private const string GpuFlavourHint =
        "This is the CPU build of ONNX Runtime (Microsoft.ML.OnnxRuntime). Use the GPU flavour (the PipelineGate.Tool.Gpu tool package, or flavour: gpu in the Action/Azure task), which carries Microsoft.ML.OnnxRuntime.Gpu.Linux, on a runner with CUDA 13 and cuDNN 9 (and TensorRT 10 for tensorrt); or mark the target 'required: false' in pipelinegate.yml.";

    private const string GpuLibrariesHint =
        "Install what ORT names above on the runner: the CUDA 13 runtime (libcudart, libcublas, libcublasLt, libcufft, libcurand .so.13) and cuDNN 9 (libcudnn*.so.9), plus TensorRT 10 for tensorrt, on LD_LIBRARY_PATH; or mark the target 'required: false' in pipelinegate.yml. `pipelinegate doctor` lists what loads.";

    /// <summary>
    /// Creates a session on a one-node model with the provider (the only reliable test: provider libraries
    /// load at session creation). Never throws for an unavailable provider; the detail quotes ORT.
    /// </summary>
    public static ProviderProbe Probe(ExecutionProvider provider)
    {
        if (provider == ExecutionProvider.Cpu)
        {
            return new ProviderProbe(provider, true, "The CPU provider is always available.");
        }

        try
        {
            using var session = InferenceSession.Create(ProbeModel.Bytes, "provider-probe.onnx", SessionConfig.Default with { Provider = provider });
            return new ProviderProbe(provider, true, $"{Name(provider)} loaded: a session was created with it.");
        }
        catch (PipelineGateException ex) when (ex.Code is PgCode.ProviderUnavailable or PgCode.SessionCreateFailed or PgCode.InvalidSessionOption)
        {
            return new ProviderProbe(provider, false, ex.Diagnostic.Message);
        }
    }

    public static string Name(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cuda => "CUDA",
        ExecutionProvider.TensorRT => "TensorRT",
        _ => "CPU",
    };

    internal static void Append(SessionOptions options, SessionConfig config)
    {
        if (config.Provider == ExecutionProvider.Cpu)
        {
            if (config.ProviderOptions.Count > 0)
            {
                throw new PipelineGateException(PgCode.InvalidSessionOption,
                    $"Provider options ({string.Join(", ", config.ProviderOptions.Keys)}) were given for the CPU provider, which takes none.");
            }

            return;
        }

        var values = config.ProviderOptions.ToDictionary(StringComparer.Ordinal);
        try
        {
            ProviderLogCapture.Capture(() =>
            {
                if (config.Provider == ExecutionProvider.Cuda)
                {
                    using var cuda = new OrtCUDAProviderOptions();
                    cuda.UpdateOptions(values);
                    options.AppendExecutionProvider_CUDA(cuda);
                }
                else
                {
                    using var trt = new OrtTensorRTProviderOptions();
                    trt.UpdateOptions(values);
                    options.AppendExecutionProvider_Tensorrt(trt);

                    // ORT's own recipe: TensorRT first, CUDA for what TensorRT does not take.
                    using var cuda = new OrtCUDAProviderOptions();
                    options.AppendExecutionProvider_CUDA(cuda);
                }

                return true;
            });
        }
        catch (ProviderLogCapture.CapturedException ex) when (ex.InnerException is EntryPointNotFoundException or DllNotFoundException)
        {
            throw Unavailable(config.Provider, $"this ONNX Runtime build has no {Name(config.Provider)} provider ({ex.InnerException!.Message})", ex.Lines, ex.InnerException, GpuFlavourHint);
        }
        catch (ProviderLogCapture.CapturedException ex) when (ex.InnerException is OnnxRuntimeException ort)
        {
            var message = OrtErrors.Clean(ort.Message);
            var notInBuild = message.Contains("not enabled in this build", StringComparison.OrdinalIgnoreCase) || OrtEnvironment.Flavour == "cpu";
            throw Unavailable(config.Provider, message, ex.Lines, ort, notInBuild ? GpuFlavourHint : null);
        }
    }

    /// <summary>PG3003 for a provider that cannot load, quoting ORT's exception and the log lines that name the missing library.</summary>
    internal static PipelineGateException Unavailable(ExecutionProvider provider, string reason, IReadOnlyList<string> log, Exception inner, string? hint = null)
    {
        var detail = log.Where(static l => l.Contains(".so", StringComparison.Ordinal) || l.Contains(".dll", StringComparison.OrdinalIgnoreCase) || l.Contains("library", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal).Take(4).ToArray();
        var quoted = detail.Length == 0 ? "" : " ONNX Runtime's log: " + string.Join(" | ", detail);
        return new PipelineGateException(PgCode.ProviderUnavailable,
            $"The {Name(provider)} execution provider is not usable on this machine (ONNX Runtime {OrtEnvironment.Version} {OrtEnvironment.Flavour}): {reason.TrimEnd('.')}.{quoted}",
            hint: hint ?? GpuLibrariesHint, inner: inner);
    }
}
