using PipelineGate.Diagnostics;
using PipelineGate.Runtime.Handles;
using PipelineGate.Runtime.Native;

namespace PipelineGate.Runtime;

/// <summary>
/// Appends execution providers to session options. Availability is decided by trying: ORT's
/// GetAvailableProviders lists what was compiled in (CUDA and TensorRT appear even on a machine with
/// no GPU and no provider libraries), while appending fails cleanly when the provider cannot load.
/// </summary>
public static class ExecutionProviders
{
    /// <summary>Tries to add the provider to throwaway session options. Never throws for an unavailable provider.</summary>
    public static ProviderProbe Probe(ExecutionProvider provider)
    {
        if (provider == ExecutionProvider.Cpu)
        {
            return new ProviderProbe(provider, true, "The CPU provider is always available.");
        }

        try
        {
            using var handle = SessionOptionsFactory.Create(SessionConfig.Default with { Provider = provider });
            return new ProviderProbe(provider, true, $"{Name(provider)} loaded.");
        }
        catch (PipelineGateException ex) when (ex.Code == PgCode.ProviderUnavailable)
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

    internal static void Append(SessionOptionsHandle options, SessionConfig config)
    {
        var api = OrtApi.Instance;
        var o = options.DangerousGetHandle();
        try
        {
            switch (config.Provider)
            {
                case ExecutionProvider.Cuda:
                    api.Release(OrtApiSlot.ReleaseCUDAProviderOptions, api.AppendProviderV2(
                        OrtApiSlot.CreateCUDAProviderOptions, OrtApiSlot.UpdateCUDAProviderOptions, OrtApiSlot.SessionOptionsAppendExecutionProvider_CUDA_V2,
                        o, config.ProviderOptions, "CUDA"));
                    break;
                case ExecutionProvider.TensorRT:
                    api.Release(OrtApiSlot.ReleaseTensorRTProviderOptions, api.AppendProviderV2(
                        OrtApiSlot.CreateTensorRTProviderOptions, OrtApiSlot.UpdateTensorRTProviderOptions, OrtApiSlot.SessionOptionsAppendExecutionProvider_TensorRT_V2,
                        o, config.ProviderOptions, "TensorRT"));
                    break;
                default:
                    if (config.ProviderOptions.Count > 0)
                    {
                        throw new PipelineGateException(PgCode.InvalidSessionOption,
                            $"Provider options ({string.Join(", ", config.ProviderOptions.Keys)}) were given for the CPU provider, which takes none.");
                    }

                    break;
            }
        }
        catch (OrtException ex) when (ex.Code == PgCode.ProviderUnavailable)
        {
            throw new PipelineGateException(PgCode.ProviderUnavailable,
                $"The {Name(config.Provider)} execution provider is not usable on this machine ({ex.Diagnostic.Message}).",
                hint: $"Run on a runner with a GPU and point {NativeLibraryLocator.OverrideVariable} at a GPU build of ONNX Runtime (with its provider libraries beside it), or mark the target optional in pipelinegate.yml.",
                inner: ex);
        }
    }
}
