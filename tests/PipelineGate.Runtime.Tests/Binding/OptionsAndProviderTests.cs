using PipelineGate.Diagnostics;
using PipelineGate.Tensors;
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
    public void Gpu_provider_that_cannot_load_is_PG3003_and_probe_says_unavailable(ExecutionProvider provider)
    {
        // No machine of this project's CI has a GPU. On the CPU flavour the provider is not in the build at
        // all; on the GPU flavour its CUDA/cuDNN libraries are missing. Both must say so, naming the provider.
        Assert.False(File.Exists("/dev/nvidia0"), "This test states the no-GPU path; on a GPU runner run the GPU smoke test instead.");
        var probe = ExecutionProviders.Probe(provider);
        Assert.False(probe.Available);
        Assert.Contains(ExecutionProviders.Name(provider), probe.Detail, StringComparison.Ordinal);

        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", SessionConfig.Default with { Provider = provider }));
        Assert.Equal(PgCode.ProviderUnavailable, ex.Code);
        Assert.Contains(ExecutionProviders.Name(provider), ex.Message, StringComparison.Ordinal);
        if (OrtEnvironment.Flavour == "cpu")
        {
            Assert.Contains("PipelineGate.Tool.Gpu", ex.Diagnostic.Hint, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(".so", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Native_library_is_the_version_of_the_managed_package()
    {
        // The managed API and the native library come from one package version; a mismatch (e.g. an
        // override with another build) is what this catches.
        var managed = typeof(Microsoft.ML.OnnxRuntime.OrtEnv).Assembly.GetName().Version!;
        Assert.Equal($"{managed.Major}.{managed.Minor}.{managed.Build}", OrtEnvironment.Version);
        Assert.Contains("CPUExecutionProvider", OrtEnvironment.CompiledProviders);
    }

    [Fact]
    public void Library_path_is_the_loaded_native_file()
    {
        var path = OrtEnvironment.LibraryPath;
        Assert.True(File.Exists(path), path);
        Assert.Contains("onnxruntime", Path.GetFileName(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_model_loads_and_runs_as_identity()
    {
        using var session = InferenceSession.Create(ProbeModel.Bytes, "probe");
        var x = TensorData.FromBytes(Tensors.TensorElementType.Float, [1], BitConverter.GetBytes(2.5f));
        var y = session.Run(new Dictionary<string, TensorData> { ["x"] = x })["y"];
        Assert.Equal(2.5f, BitConverter.ToSingle(y.Bytes));
    }

    [Theory]
    [InlineData("[ErrorCode:InvalidArgument] bad", OrtErrorCode.InvalidArgument)]
    [InlineData("[ErrorCode:NoSuchFile] x", OrtErrorCode.NoSuchFile)]
    [InlineData("[ErrorCode:EPFail] x", OrtErrorCode.EpFail)]
    [InlineData("no prefix", OrtErrorCode.Fail)]
    public void Ort_error_code_is_read_from_the_message(string message, OrtErrorCode expected)
    {
        Assert.Equal(expected, OrtErrors.CodeOf(message));
    }

    [Fact]
    public void Provider_bridge_message_keeps_only_the_reason()
    {
        // The exact text ORT 1.31.0's GPU package gave here for CUDA without libcublasLt.so.13.
        var raw = "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /x/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory";
        Assert.Equal("Failed to load library /x/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory", OrtErrors.Clean(raw));
    }
}
