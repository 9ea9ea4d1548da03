using PipelineGate.Diagnostics;
using PipelineGate.Measure;
using PipelineGate.Runtime;
using Xunit;

namespace PipelineGate.Tests.Measure;

public sealed class ProviderNamesTests
{
    [Theory]
    [InlineData("cpu", ExecutionProvider.Cpu, "cpu")]
    [InlineData("cuda", ExecutionProvider.Cuda, "cuda")]
    [InlineData("tensorrt", ExecutionProvider.TensorRT, "tensorrt")]
    [InlineData("trt", ExecutionProvider.TensorRT, "tensorrt")]
    public void Every_accepted_name_parses_to_its_provider_and_canonical_name(string name, ExecutionProvider expected, string canonical)
    {
        Assert.True(ProviderNames.TryParse(name, out var provider));
        Assert.Equal(expected, provider);
        Assert.Equal(canonical, ProviderNames.Canonical(provider));
        Assert.Contains(name, ProviderNames.Accepted);
    }

    [Theory]
    [InlineData("TRT", ExecutionProvider.TensorRT)]
    [InlineData("Cuda", ExecutionProvider.Cuda)]
    [InlineData("", ExecutionProvider.Cpu)]
    [InlineData(null, ExecutionProvider.Cpu)]
    public void The_command_line_ignores_case_and_defaults_to_cpu(string? value, ExecutionProvider expected) =>
        Assert.Equal(expected, ProviderNames.ParseArgument(value));

    [Fact]
    public void An_unknown_command_line_provider_is_a_usage_error()
    {
        var e = Assert.Throws<PipelineGateException>(() => ProviderNames.ParseArgument("gpu"));

        Assert.Equal(PgCode.UsageInvalidArgument, e.Code);
        Assert.Equal("Unknown provider 'gpu'; expected cpu, cuda or tensorrt.", e.Diagnostic.Message);
    }

    [Fact]
    public void Config_names_are_exact()
    {
        Assert.False(ProviderNames.TryParse("TRT", out _));
        Assert.False(ProviderNames.TryParse(null, out _));
    }
}
