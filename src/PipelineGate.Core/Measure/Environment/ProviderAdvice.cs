using PipelineGate.Runtime;

namespace PipelineGate.Measure.Environment;

/// <summary>
/// What to install for a provider that does not load. The CPU build of ONNX Runtime has no CUDA or
/// TensorRT provider at all, so there the first step is the GPU flavour of the tool; the GPU build
/// (since ORT 1.27) needs CUDA 13 and cuDNN 9 on the loader's path, and TensorRT 10 for its provider.
/// </summary>
internal static class ProviderAdvice
{
    public const string GpuToolPackage = "PipelineGate.Tool.Gpu";

    public const string CudaLibraries = "the CUDA 13 runtime (libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcufft.so.13, libcurand.so.13) and cuDNN 9 (libcudnn*.so.9)";

    public const string TensorRtLibraries = "TensorRT 10.x (libnvinfer.so.10, libnvinfer_plugin.so.10, libnvonnxparser.so.10)";

    public static string? For(ExecutionProvider provider, string? flavour, GpuFacts gpu)
    {
        if (provider == ExecutionProvider.Cpu || flavour is null)
        {
            return null;
        }

        var libraries = provider == ExecutionProvider.TensorRT ? $"{TensorRtLibraries} with {CudaLibraries}" : CudaLibraries;
        var steps = flavour == "gpu"
            ? $"Install {libraries} where the dynamic loader finds them (a system library folder or LD_LIBRARY_PATH); ONNX Runtime's reason (the probe's detail) may name the library that is missing."
            : $"This is the CPU build of ONNX Runtime, which has no {ExecutionProviders.Name(provider)} provider at all: install the GPU flavour of the tool ('dotnet tool install --global {GpuToolPackage}', in place of PipelineGate.Tool), then {libraries}.";
        return gpu.Status == GpuQueryStatus.Ok
            ? steps
            : $"{steps} It also needs an NVIDIA GPU and a driver for CUDA 13 (580 or newer); nvidia-smi: {gpu.Detail.TrimEnd('.')}.";
    }
}
