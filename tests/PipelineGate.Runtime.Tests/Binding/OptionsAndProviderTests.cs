using PipelineGate.Diagnostics;
using PipelineGate.Runtime.Native;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Runtime.Tests.Binding;

public sealed class OptionsAndProviderTests
{
    [Theory]
    [InlineData(-1, 1)]
    [InlineData(1, -2)]
    public void Negative_thread_counts_are_PG3006(int intra, int inter)
    {
        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", SessionConfig.Default with { IntraOpThreads = intra, InterOpThreads = inter }));
        Assert.Equal(PgCode.InvalidSessionOption, ex.Code);
    }

    [Fact]
    public void Unknown_config_key_is_PG3006_because_ort_would_ignore_it()
    {
        var config = SessionConfig.Default with { ConfigEntries = new Dictionary<string, string> { ["sesion.typo"] = "1" } };
        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", config));
        Assert.Equal(PgCode.InvalidSessionOption, ex.Code);
    }

    [Fact]
    public void Known_config_entry_and_every_option_are_accepted()
    {
        var config = SessionConfig.Default with
        {
            IntraOpThreads = 2,
            InterOpThreads = 2,
            ParallelExecution = true,
            MemoryArena = false,
            Optimization = GraphOptimization.Basic,
            ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "0" },
        };
        using var session = InferenceSession.Create(TinyModels.AddBias(2, 1), "m", config);
        Assert.Single(session.Inputs);
    }

    [Theory]
    [InlineData(ExecutionProvider.Cuda)]
    [InlineData(ExecutionProvider.TensorRT)]
    public void Gpu_provider_without_its_libraries_is_PG3003_and_probe_says_unavailable(ExecutionProvider provider)
    {
        // The bundled ONNX Runtime is the CPU build: its GPU provider libraries are not shipped, on any machine.
        if (Environment.GetEnvironmentVariable(NativeLibraryLocator.OverrideVariable) is { Length: > 0 })
        {
            return; // a custom (possibly GPU) ONNX Runtime build is in use: this fact is about the bundled one
        }

        var probe = ExecutionProviders.Probe(provider);
        Assert.False(probe.Available);
        Assert.NotEmpty(probe.Detail);

        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", SessionConfig.Default with { Provider = provider }));
        Assert.Equal(PgCode.ProviderUnavailable, ex.Code);
        Assert.Contains(ExecutionProviders.Name(provider), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compiled_providers_list_cpu_but_says_nothing_about_loadability()
    {
        Assert.Contains("CPUExecutionProvider", OrtEnvironment.CompiledProviders);
        Assert.Equal("1.30.0", OrtEnvironment.Version);
    }

    [Fact]
    public void Locator_lists_where_it_looked_when_the_override_does_not_exist()
    {
        var ex = Assert.Throws<PipelineGateException>(() => NativeLibraryLocator.Load("/nonexistent/libonnxruntime.so.1"));
        Assert.Equal(PgCode.NativeLibraryNotFound, ex.Code);
        Assert.Contains("/nonexistent/libonnxruntime.so.1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(NativeLibraryLocator.OverrideVariable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_search_order_is_assembly_folder_then_cache()
    {
        var candidates = NativeLibraryLocator.Candidates();
        Assert.Contains("runtimes", candidates[0].Path, StringComparison.Ordinal);
        Assert.Contains(candidates, c => c.Source == "per-user cache");
    }
}
