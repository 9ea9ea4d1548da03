using Google.Protobuf;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.TestAssets;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// A quantized model does the same multiply-accumulates as its float original, and inspect's estimate
/// says so: our own dynamic quantization of registry models, and the DynamicQuantizeLinear + ConvInteger
/// form ONNX Runtime's quantize_dynamic writes (which showed "0 MACs ... N nodes with unknown shapes").
/// </summary>
public sealed class QuantizedComputeTests
{
    [Fact]
    public void Our_dynamic_quantization_of_the_OCR_recognizer_keeps_its_MACs()
    {
        var dims = new Dictionary<string, long>(StringComparer.Ordinal) { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320 };
        var original = ModelFile.Load(RealModels.OcrRecognizer);
        var quantized = QuantizationFixtures.Quantize(original, ("mode", "dynamic")).Model;

        var before = ComputeEstimator.Estimate(original.Graph, dims);
        var after = ComputeEstimator.Estimate(quantized.Graph, dims);

        Assert.Contains(quantized.Graph.Node, static n => n.OpType == "DynamicQuantizeMatMul");
        Assert.True(before.Macs > 100_000_000, $"{before.Macs} MACs at 48×320");
        Assert.Equal(before.Macs, after.Macs);
        Assert.Equal(before.NodesCounted, after.NodesCounted);
        Assert.Equal(before.UncountedNodes.Count, after.UncountedNodes.Count);
    }

    [Fact]
    public void The_detector_in_ORTs_DynamicQuantizeLinear_ConvInteger_form_keeps_its_MACs()
    {
        var dims = new Dictionary<string, long>(StringComparer.Ordinal) { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 320, ["p2o.DynamicDimension.2"] = 320 };
        var original = ModelFile.Load(RealModels.OcrDetector);
        var quantized = ConvIntegerForm(original.Model);

        var before = ComputeEstimator.Estimate(original.Graph, dims);
        var after = ComputeEstimator.Estimate(quantized.Graph, dims);

        Assert.True(quantized.Graph.Node.Count(static n => n.OpType == "ConvInteger") > 50);
        Assert.True(before.Macs > 0);
        Assert.Equal(before.Macs, after.Macs);
        Assert.Equal(before.UncountedNodes.Count, after.UncountedNodes.Count);
    }

    /// <summary>
    /// Rewrites every Conv with a constant float weight as onnxruntime.quantization.quantize_dynamic does:
    /// DynamicQuantizeLinear(x) → ConvInteger(x_q, W_q, x_zp) → Cast → Mul(x_scale × W_scale) (→ Add reshaped bias).
    /// The weight values do not matter for the count; their shape does.
    /// </summary>
    private static ModelProto ConvIntegerForm(ModelProto model)
    {
        var m = model.Clone();
        var g = m.Graph;
        // This exporter (Paddle2ONNX) stores the weights as Constant nodes, not initializers.
        var weights = g.Initializer.ToDictionary(static t => t.Name, StringComparer.Ordinal);
        foreach (var c in g.Node.Where(static c => c.OpType == "Constant" && c.Output.Count == 1))
        {
            if (c.Attribute.FirstOrDefault(static a => a.Name == "value")?.T is { } t)
            {
                weights[c.Output[0]] = t;
            }
        }

        var nodes = new List<NodeProto>();
        foreach (var n in g.Node)
        {
            if (n.OpType != "Conv" || n.Input.Count < 2 || !weights.TryGetValue(n.Input[1], out var w) || w.DataType != (int)TensorElementType.Float)
            {
                nodes.Add(n);
                continue;
            }

            var s = n.Name + "_q";
            var wq = new TensorProto { Name = s + "_W", DataType = (int)TensorElementType.UInt8, RawData = ByteString.CopyFrom(new byte[w.Dims.Aggregate(1L, static (a, d) => a * d)]) };
            wq.Dims.Add(w.Dims);
            g.Initializer.Add(wq);
            g.Initializer.Add(new TensorProto { Name = s + "_Ws", DataType = (int)TensorElementType.Float, FloatData = { 0.01f } });
            g.Initializer.Add(new TensorProto { Name = s + "_Wzp", DataType = (int)TensorElementType.UInt8, RawData = ByteString.CopyFrom(new byte[1]) });
            nodes.Add(Make("DynamicQuantizeLinear", [n.Input[0]], [s + "_x", s + "_xs", s + "_xzp"], s + "_dql"));
            var conv = Make("ConvInteger", [s + "_x", s + "_W", s + "_xzp", s + "_Wzp"], [s + "_i32"], s + "_conv");
            conv.Attribute.Add(n.Attribute);
            nodes.Add(conv);
            var cast = Make("Cast", [s + "_i32"], [s + "_f"], s + "_cast");
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorElementType.Float });
            nodes.Add(cast);
            nodes.Add(Make("Mul", [s + "_xs", s + "_Ws"], [s + "_scale"], s + "_scale"));
            var hasBias = n.Input.Count > 2 && !string.IsNullOrEmpty(n.Input[2]);
            nodes.Add(Make("Mul", [s + "_f", s + "_scale"], [hasBias ? s + "_nobias" : n.Output[0]], s + "_dequant"));
            if (hasBias)
            {
                // As quantize_dynamic does: the bias [C] reshaped to [1, C, 1, 1] before the Add.
                var shape = new TensorProto { Name = s + "_bshape", DataType = (int)TensorElementType.Int64, Int64Data = { 1, -1, 1, 1 } };
                shape.Dims.Add(4);
                g.Initializer.Add(shape);
                nodes.Add(Make("Reshape", [n.Input[2], s + "_bshape"], [s + "_b"], s + "_breshape"));
                nodes.Add(Make("Add", [s + "_nobias", s + "_b"], [n.Output[0]], s + "_bias"));
            }
        }

        g.Node.Clear();
        g.Node.Add(nodes);
        return m;
    }

    private static NodeProto Make(string op, string[] inputs, string[] outputs, string name)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.Add(inputs);
        n.Output.Add(outputs);
        return n;
    }
}
