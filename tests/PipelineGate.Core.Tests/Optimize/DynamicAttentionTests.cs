using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using PipelineGate.Tests.Measure.Statistics;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// ORT's fused com.microsoft Attention → DynamicQuantizeLinear + QAttention, run by ONNX Runtime against
/// the float Attention. (No pretrained transformer is reachable here, so the weights are seeded; the
/// checks are the rewrite's structure and its numerical agreement with the float op, not model accuracy.)
/// </summary>
public sealed class DynamicAttentionTests(ITestOutputHelper output)
{
    private const int BatchSize = 2, Sequence = 6, HiddenSize = 16, Heads = 2;

    private static ModelFile FusedAttention(bool qkvSizes = false)
    {
        var rng = new Random(11);
        float[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)(scale * LatencyGenerator.StandardNormal(rng))).ToArray();
        var graph = new GraphProto { Name = "attention" };
        graph.Input.Add(TinyModels.Value("x", TensorElementType.Float, $"{BatchSize}", $"{Sequence}", $"{HiddenSize}"));
        graph.Output.Add(TinyModels.Value("y", TensorElementType.Float, $"{BatchSize}", $"{Sequence}", $"{HiddenSize}"));
        graph.Initializer.Add(FloatInitializer("qkv_weight", Values(HiddenSize * 3 * HiddenSize, 0.3), HiddenSize, 3 * HiddenSize));
        graph.Initializer.Add(FloatInitializer("qkv_bias", Values(3 * HiddenSize, 0.1), 3 * HiddenSize));
        var node = TinyModels.Node("Attention", ["x", "qkv_weight", "qkv_bias"], ["y"], "self_attention");
        node.Domain = "com.microsoft";
        node.Attribute.Add(new AttributeProto { Name = "num_heads", Type = AttributeProto.Types.AttributeType.Int, I = Heads });
        if (qkvSizes)
        {
            var sizes = new AttributeProto { Name = "qkv_hidden_sizes", Type = AttributeProto.Types.AttributeType.Ints };
            sizes.Ints.Add([HiddenSize, HiddenSize, HiddenSize]);
            node.Attribute.Add(sizes);
        }

        graph.Node.Add(node);
        var model = ModelProto.Parser.ParseFrom(TinyModels.Model(graph));
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return ModelFile.Load(Google.Protobuf.MessageExtensions.ToByteArray(model), "attention.onnx");
    }

    [Theory]
    [InlineData("uint8", true)]
    [InlineData("uint8", false)]
    [InlineData("int8", true)]
    public void Fused_attention_becomes_QAttention_and_tracks_the_float_op_in_ONNX_Runtime(string weightType, bool perChannel)
    {
        var model = FusedAttention();
        var rng = new Random(5);
        var feed = new Dictionary<string, TensorData>
        {
            ["x"] = TensorData.Create(Enumerable.Range(0, BatchSize * Sequence * HiddenSize).Select(_ => (float)LatencyGenerator.StandardNormal(rng)).ToArray(), BatchSize, Sequence, HiddenSize),
        };

        var result = Quantize(model, ("mode", "dynamic"), ("weight-type", weightType), ("per-channel", perChannel ? "true" : "false"), ("reduce-range", weightType == "int8" ? "true" : "false"));

        var nodes = result.Model.Graph.Node;
        Assert.Equal(["DynamicQuantizeLinear", DynamicQuantizer.AttentionOpType], nodes.Select(static n => n.OpType));
        var q = nodes[1];
        Assert.Equal(9, q.Input.Count);
        Assert.Equal(nodes[0].Output[0], q.Input[0]);
        Assert.Equal(nodes[0].Output[1], q.Input[3]);
        Assert.Equal(nodes[0].Output[2], q.Input[6]);
        Assert.Equal("qkv_bias", q.Input[2]);
        Assert.Equal(Heads, q.Attribute.Single(static a => a.Name == "num_heads").I);
        var scale = result.Model.Graph.Initializer.Single(t => t.Name == q.Input[4]);
        Assert.Equal(perChannel ? [3 * HiddenSize] : Array.Empty<long>(), scale.Dims);
        Assert.Contains(result.Notes, static n => n.Contains("1 fused Attention node(s) (→ QAttention)", StringComparison.Ordinal));

        var expected = Run(model, feed, "f32")["y"].ToFloatArray();
        var actual = Run(result.Model, feed, "q8")["y"].ToFloatArray();
        var maxAbs = expected.Zip(actual, static (a, b) => Math.Abs(a - b)).Max();
        var range = expected.Max(Math.Abs);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{weightType} per-channel={perChannel}: max |Δ| {maxAbs:G3} on outputs up to {range:G3}"));

        // 8-bit input and weights: a few percent of the output range at most; a wrong layout or scale is off by the whole range.
        Assert.True(maxAbs < 0.05 * range, $"max |Δ| {maxAbs} vs range {range}");
    }

    [Fact]
    public void Attention_with_separate_QKV_sizes_stays_float_with_a_reason()
    {
        var ex = Assert.Throws<PipelineGateException>(() => Quantize(FusedAttention(qkvSizes: true), ("mode", "dynamic")));

        Assert.Equal(PgCode.RecipeNotApplicable, ex.Code);
        Assert.Contains("qkv_hidden_sizes has no QAttention form", ex.Message, StringComparison.Ordinal);
    }
}
