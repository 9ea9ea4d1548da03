using PipelineGate.TestAssets;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Validation;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.Tests.Gate.Config;
using Xunit;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

public sealed class DynamicQuantizerTests
{
    [Fact]
    public void Every_constant_weight_matmul_becomes_DynamicQuantizeMatMul_and_the_result_is_valid_and_runs()
    {
        var input = Digits();
        var before = input.ToByteArray();

        var result = Quantize(input, ("mode", "dynamic"));

        Assert.Equal(before, input.ToByteArray()); // the input model is never modified
        var graph = result.Model.Model.Graph;
        Assert.Equal(3, graph.Node.Count(static n => n.OpType == DynamicQuantizer.OpType && n.Domain == "com.microsoft"));
        Assert.DoesNotContain(graph.Node, static n => n.OpType is "MatMul" or "ConvInteger");
        Assert.Contains(result.Model.Model.OpsetImport, static o => o.Domain == "com.microsoft");
        Assert.DoesNotContain(ModelValidator.Validate(result.Model), static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(result.Model.Model.MetadataProps, static p => p.Key == "pipelinegate.quantization" && p.Value.Contains("\"mode\":\"dynamic\"", StringComparison.Ordinal));
        Assert.Contains(result.Notes, static n => n.StartsWith("3 MatMul/Gemm", StringComparison.Ordinal));

        // Fidelity on the real evaluation data: the int8 model agrees with the float one.
        var pixels = NpyFile.Read(RepoPaths.Of("samples/digits/eval/pixels.npy"));
        using var f32 = InferenceSession.Create(input.ToByteArray(), "f32");
        using var i8 = InferenceSession.Create(result.Model.ToByteArray(), "int8");
        var feed = new Dictionary<string, TensorData> { ["pixels"] = pixels };
        var fidelity = FidelityMetrics.Compute(i8.Run(feed)["probabilities"], f32.Run(feed)["probabilities"]);
        Assert.True(fidelity.Top1Agreement >= 0.99, $"top-1 agreement {fidelity.Top1Agreement}");
        Assert.Equal(0, fidelity.CandidateNaNCount + fidelity.CandidateInfCount);
    }

    [Fact]
    public void Excluded_nodes_stay_in_float_and_are_listed()
    {
        var result = Quantize(Digits(), ("mode", "dynamic"), ("exclude-node", "fc3/MatMul"));

        Assert.Contains(result.Model.Model.Graph.Node, static n => n.OpType == "MatMul" && n.Name == "fc3/MatMul");
        Assert.Equal(2, result.Model.Model.Graph.Node.Count(static n => n.OpType == DynamicQuantizer.OpType));
        Assert.Contains(result.Notes, static n => n.Contains("fc3/MatMul: excluded", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dynamic", "block-size", "64", "int4")]
    [InlineData("fp16", "weight-type", "int8", "dynamic")]
    [InlineData("dynamic", "activation-type", "int8", "static")]
    public void An_option_of_another_mode_is_an_error_not_silently_ignored(string mode, string key, string value, string usedBy)
    {
        var ex = Assert.Throws<PipelineGateException>(() => Quantize(Digits(), ("mode", mode), (key, value)));

        Assert.Equal(PgCode.ConfigInvalidValue, ex.Code);
        Assert.Contains($"'{key}' is only used by mode: {usedBy}; this step's mode is {mode}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quantized_model_is_not_quantized_again()
    {
        var once = Quantize(Digits(), ("mode", "dynamic")).Model;

        var ex = Assert.Throws<PipelineGateException>(() => Quantize(once, ("mode", "dynamic")));

        Assert.Equal(PgCode.ModelAlreadyQuantized, ex.Code);
    }

    [Fact]
    public void A_model_without_constant_weight_matmuls_is_PG2030()
    {
        var identity = ModelFile.Load(TestAssets.Models.TinyModels.Identity(TensorElementType.Float, "4"), "identity.onnx");

        var ex = Assert.Throws<PipelineGateException>(() => Quantize(identity, ("mode", "dynamic")));

        Assert.Equal(PgCode.RecipeNotApplicable, ex.Code);
    }

    [Fact]
    public void Unknown_option_is_a_config_error_at_the_step()
    {
        var ex = Assert.Throws<PipelineGateException>(() => Quantize(Digits(), ("mode", "dynamic"), ("bits", "3")));
        Assert.Equal(PgCode.ConfigInvalidValue, ex.Code);
    }

    [Fact]
    public void Per_tensor_mode_uses_scalar_scales()
    {
        var result = Quantize(Digits(), ("mode", "dynamic"), ("per-channel", "false"));

        Assert.All(result.Model.Model.Graph.Initializer.Where(static t => t.Name.EndsWith("_W_scale", StringComparison.Ordinal)), static t => Assert.Empty(t.Dims));
    }
}
