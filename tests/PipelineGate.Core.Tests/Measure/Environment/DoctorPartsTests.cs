using PipelineGate.Measure.Environment;
using PipelineGate.Runtime;
using Xunit;

namespace PipelineGate.Tests.Measure.Environment;

/// <summary>The doctor's pure parts: nvidia-smi's CSV, the int8 features, and what it tells a user to install.</summary>
public sealed class DoctorPartsTests
{
    private static readonly GpuFacts NoGpu = new(GpuQueryStatus.Absent, NvidiaSmi.Absent, []);

    [Fact]
    public void Nvidia_smi_csv_gives_one_device_per_line_with_memory_in_bytes()
    {
        var devices = NvidiaSmi.Parse("NVIDIA L4, 580.65.06, 23034 MiB\r\nNVIDIA A10G, 580.65.06, [N/A]\n\n");

        Assert.Equal(
            [new GpuDevice("NVIDIA L4", "580.65.06", "23034 MiB", 23034L * 1024 * 1024), new GpuDevice("NVIDIA A10G", "580.65.06", "[N/A]", null)],
            devices);
    }

    [Fact]
    public void Nvidia_smi_lines_of_another_shape_are_skipped()
    {
        Assert.Empty(NvidiaSmi.Parse("No devices were found\n"));
    }

    [Fact]
    public void Int8_features_follow_the_cpuinfo_flags_in_a_fixed_order()
    {
        var features = CpuInfo.Int8Features(["avx2", "avx512f", "amx_tile", "amx_int8"]);

        Assert.Equal(["AVX2", "AVX-512F", "AVX-512 VNNI", "AVX-VNNI", "AMX"], features.Select(static f => f.Name));
        Assert.Equal([true, true, false, false, true], features.Select(static f => f.Present));
    }

    [Fact]
    public void On_the_cpu_build_the_advice_is_the_gpu_tool_package_then_the_cuda_13_libraries()
    {
        var advice = ProviderAdvice.For(ExecutionProvider.Cuda, "cpu", NoGpu)!;

        Assert.Contains("PipelineGate.Tool.Gpu", advice, StringComparison.Ordinal);
        Assert.Contains("libcudart.so.13", advice, StringComparison.Ordinal);
        Assert.Contains("libcudnn*.so.9", advice, StringComparison.Ordinal);
        Assert.Contains("no nvidia-smi", advice, StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_gpu_build_with_a_gpu_the_advice_is_the_libraries_alone()
    {
        var gpu = new GpuFacts(GpuQueryStatus.Ok, "NVIDIA L4", [new GpuDevice("NVIDIA L4", "580.65.06", "23034 MiB", 23034L * 1024 * 1024)]);

        var cuda = ProviderAdvice.For(ExecutionProvider.Cuda, "gpu", gpu)!;
        var tensorRt = ProviderAdvice.For(ExecutionProvider.TensorRT, "gpu", gpu)!;

        Assert.DoesNotContain("PipelineGate.Tool.Gpu", cuda, StringComparison.Ordinal);
        Assert.DoesNotContain("driver", cuda, StringComparison.Ordinal);
        Assert.Contains("libcublasLt.so.13", cuda, StringComparison.Ordinal);
        Assert.DoesNotContain("TensorRT", cuda, StringComparison.Ordinal);
        Assert.Contains("TensorRT 10.x", tensorRt, StringComparison.Ordinal);
        Assert.Contains("libcudart.so.13", tensorRt, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cpu_provider_and_an_unloaded_runtime_get_no_advice()
    {
        Assert.Null(ProviderAdvice.For(ExecutionProvider.Cpu, "cpu", NoGpu));
        Assert.Null(ProviderAdvice.For(ExecutionProvider.Cuda, null, NoGpu));
    }
}
