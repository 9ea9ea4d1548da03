using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;
using PipelineGate.Runtime;

namespace PipelineGate.Measure.Environment;

/// <summary>
/// Everything that decides whether and how fast models run here: the ONNX Runtime build and which of
/// its providers really load, the CPU's int8-relevant extensions, memory, GPUs and driver, .NET and
/// the OS. A missing GPU is a fact to report, not a failure; only an ONNX Runtime that cannot load at
/// all is carried as an error.
/// </summary>
public sealed record DoctorReport
{
    public const string SchemaId = "pipelinegate/doctor/v1";

    private static readonly ExecutionProvider[] ProbeOrder = [ExecutionProvider.Cpu, ExecutionProvider.Cuda, ExecutionProvider.TensorRT];

    public string Schema => SchemaId;

    public required string ToolVersion { get; init; }

    public required OnnxRuntimeFacts OnnxRuntime { get; init; }

    /// <summary>CPU, CUDA and TensorRT, in that order.</summary>
    public required IReadOnlyList<ProviderStatus> Providers { get; init; }

    public required CpuFacts Cpu { get; init; }

    public required MemoryFacts Memory { get; init; }

    public required GpuFacts Gpu { get; init; }

    /// <summary>The .NET runtime, e.g. ".NET 10.0.1".</summary>
    public required string DotnetRuntime { get; init; }

    public required string Os { get; init; }

    /// <summary>The runtime identifier that native packages are chosen by (linux-x64).</summary>
    public required string RuntimeIdentifier { get; init; }

    public static DoctorReport Collect(string toolVersion)
    {
        var gpu = NvidiaSmi.Query();
        var ort = LoadOnnxRuntime();
        return new DoctorReport
        {
            ToolVersion = toolVersion,
            OnnxRuntime = ort,
            Providers = ProbeOrder.Select(p => Probe(p, ort, gpu)).ToArray(),
            Cpu = new CpuFacts(
                CpuInfo.ModelName(),
                RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
                System.Environment.ProcessorCount,
                CpuInfo.IsaFlags(),
                CpuInfo.Int8Features()),
            Memory = SystemMemory.Capture(),
            Gpu = gpu,
            DotnetRuntime = RuntimeInformation.FrameworkDescription,
            Os = RuntimeInformation.OSDescription,
            RuntimeIdentifier = RuntimeInformation.RuntimeIdentifier,
        };
    }

    private static OnnxRuntimeFacts LoadOnnxRuntime()
    {
        try
        {
            var compiled = OrtEnvironment.CompiledProviders;
            var flavour = OrtEnvironment.Flavour;
            return new OnnxRuntimeFacts(OrtEnvironment.Version, flavour, OrtEnvironment.LibraryPath, compiled, null);
        }
        catch (PipelineGateException ex)
        {
            return new OnnxRuntimeFacts(null, null, null, [], ex.Diagnostic);
        }
    }

    private static ProviderStatus Probe(ExecutionProvider provider, OnnxRuntimeFacts ort, GpuFacts gpu)
    {
        var name = ExecutionProviders.Name(provider);
        var ortName = provider switch
        {
            ExecutionProvider.Cuda => "CUDAExecutionProvider",
            ExecutionProvider.TensorRT => "TensorrtExecutionProvider",
            _ => "CPUExecutionProvider",
        };
        if (ort.Error is { } error)
        {
            return new ProviderStatus(name, ortName, false, false, $"Not probed: ONNX Runtime did not load ({error.CodeText}).", null);
        }

        ProviderProbe probe;
        try
        {
            probe = ExecutionProviders.Probe(provider);
        }
        catch (PipelineGateException ex)
        {
            // Probe answers "unavailable" itself; anything else it throws still means the provider does not load here.
            probe = new ProviderProbe(provider, false, ex.Diagnostic.Message);
        }

        return new ProviderStatus(name, ortName, ort.CompiledProviders.Contains(ortName, StringComparer.Ordinal), probe.Available, probe.Detail,
            probe.Available ? null : ProviderAdvice.For(provider, ort.Flavour, gpu));
    }
}
