using System.Globalization;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Validation;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.Models;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

public sealed class Fp16ConverterTests(ITestOutputHelper output)
{
    private const int F16 = (int)TensorElementType.Float16;

    [Fact]
    public void Digits_weights_become_float16_with_float32_inputs_and_outputs_and_the_same_predictions()
    {
        var input = Digits();
        var before = input.ToByteArray();

        var result = Quantize(input, ("mode", "fp16"));

        Assert.Equal(before, input.ToByteArray()); // the input model is never modified
        var graph = result.Model.Model.Graph;
        Assert.All(graph.Initializer, static t => Assert.Equal(F16, t.DataType));
        Assert.Equal((int)TensorElementType.Float, graph.Input.Single().Type.TensorType.ElemType);
        Assert.Equal((int)TensorElementType.Float, graph.Output.Single().Type.TensorType.ElemType);
        Assert.Equal(("Cast", "pixels"), (graph.Node[0].OpType, graph.Node[0].Input[0]));
        Assert.Equal(("Cast", "probabilities"), (graph.Node[^1].OpType, graph.Node[^1].Output[0]));
        Assert.DoesNotContain(ModelValidator.Validate(result.Model), static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(result.Model.Model.MetadataProps, static p => p.Key == "pipelinegate.quantization" && p.Value.Contains("\"mode\":\"fp16\"", StringComparison.Ordinal));
        Assert.Contains(result.Notes, static n => n.StartsWith("6 float32 tensor(s) converted to float16 (26,280 → 13,140 bytes)", StringComparison.Ordinal));

        var feed = new Dictionary<string, TensorData> { ["pixels"] = DigitsEval() };
        var reference = Run(input, feed, "f32")["probabilities"];
        var candidate = Run(result.Model, feed, "f16")["probabilities"];
        var ratio = (double)result.Model.ToByteArray().Length / before.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digits fp16: size ratio {ratio:0.0000}, top-1 agreement {Top1Agreement(candidate, reference):0.0000}, relative L2 {RelativeL2(candidate, reference):0.000000}"));
        Assert.Equal((0L, 0L), NonFinite(candidate));
        Assert.Equal(1.0, Top1Agreement(candidate, reference));
        Assert.True(RelativeL2(candidate, reference) < 1e-3);
        Assert.True(ratio < 0.54, $"size ratio {ratio}"); // 1.5 KB of graph structure stays the same size on a 27.8 KB model
    }

    [Fact]
    public void OCR_recognizer_halves_in_size_and_reads_the_same_characters()
    {
        var input = ModelFile.Load(RealModels.OcrRecognizer);
        var feed = new Dictionary<string, TensorData> { ["x"] = TextLine(48, 320, 7) };

        var result = Quantize(input, ("mode", "fp16"));

        var ratio = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;
        var reference = Run(input, feed, "f32")["softmax_11.tmp_0"];
        var candidate = Run(result.Model, feed, "f16")["softmax_11.tmp_0"];
        var agreement = Top1Agreement(candidate, reference);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recognizer fp16: size ratio {ratio:0.0000}, per-timestep top-1 agreement {agreement:0.0000} over {reference.Shape[1]} steps, relative L2 {RelativeL2(candidate, reference):0.000000}"));
        output.WriteLine(string.Join(Environment.NewLine, result.Notes));
        Assert.True(ratio <= 0.52, $"size ratio {ratio}");
        Assert.Equal((0L, 0L), NonFinite(candidate));
        Assert.True(agreement >= 0.95, $"top-1 agreement {agreement}");
        Assert.Contains(result.Notes, static n => n.Contains("ReduceMean ×10", StringComparison.Ordinal));
        Assert.DoesNotContain(ModelWalker.Graphs(result.Model.Model).SelectMany(static g => g.Node), static n => n.OpType == "Constant" && n.Attribute[0].T?.DataType == (int)TensorElementType.Float && n.Attribute[0].T.Dims.Aggregate(1L, static (a, d) => a * d) >= 16);
    }

    [Fact]
    public void OCR_detector_keeps_its_out_of_range_batch_norm_in_float32_and_its_map()
    {
        var input = ModelFile.Load(RealModels.OcrDetector);
        var feed = new Dictionary<string, TensorData> { ["x"] = Document(320, 7) };

        var result = Quantize(input, ("mode", "fp16"));

        var ratio = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;
        var reference = Run(input, feed, "f32")["sigmoid_0.tmp_0"].ToFloatArray();
        var candidate = Run(result.Model, feed, "f16")["sigmoid_0.tmp_0"];
        var values = candidate.ToFloatArray();
        var relativeL2 = RelativeL2(candidate, TensorData.Create(reference, 1, 1, 320, 320));
        var textPixels = values.Zip(reference, static (c, r) => (c > 0.3f) == (r > 0.3f)).Count(static same => same) / (double)values.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detector fp16: size ratio {ratio:0.0000}, relative L2 {relativeL2:0.000000}, text/non-text agreement at 0.3 {textPixels:0.0000}, max |Δ| {values.Zip(reference, static (c, r) => Math.Abs(c - r)).Max():0.0000}"));
        output.WriteLine(string.Join(Environment.NewLine, result.Notes));
        Assert.True(ratio <= 0.52, $"size ratio {ratio}");
        Assert.Equal((0L, 0L), NonFinite(candidate));
        Assert.True(relativeL2 < 0.02, $"relative L2 {relativeL2}");
        Assert.True(textPixels >= 0.999, $"text map agreement {textPixels}");
        Assert.Contains(result.Notes, static n => n.Contains("BatchNormalization ×1 (reads a constant beyond float16's range", StringComparison.Ordinal) && n.Contains("Resize ×6", StringComparison.Ordinal));
    }

    [Fact]
    public void Silero_If_bodies_stay_float32_and_differ_only_by_the_rounding_of_their_weights()
    {
        var input = ModelFile.Load(RealModels.SileroVad);
        var rng = new Random(3);
        var feed = new Dictionary<string, TensorData>
        {
            ["input"] = TensorData.Create(Enumerable.Range(0, 1536).Select(i => (float)((0.3 * Math.Sin(i * 0.07) * Math.Sin(i * 0.003)) + (0.05 * (rng.NextDouble() - 0.5)))).ToArray(), 1, 1536),
            ["sr"] = TensorData.Create(new long[] { 16000 }),
            ["h"] = TensorData.Create(new float[128], 2, 1, 64),
            ["c"] = TensorData.Create(new float[128], 2, 1, 64),
        };

        var result = Quantize(input, ("mode", "fp16"));

        // The same model with its weights rounded to float16 in place: the rewrite must add no error of its own.
        var rounded = input.Clone();
        foreach (var t in rounded.Graph.Initializer.Where(static t => t.DataType == (int)TensorElementType.Float && t.Dims.Aggregate(1L, static (a, d) => a * d) >= 16))
        {
            var v = TensorProtoConverter.ToTensorData(t).AsSpan<float>().ToArray().Select(static x => (float)(Half)x).ToArray();
            t.FloatData.Clear();
            t.RawData = ByteString.CopyFrom(TensorData.Create(v, t.Dims.ToArray()).Bytes);
        }

        var bodies = ModelWalker.SubgraphsOf(result.Model.Graph.Node).SelectMany(ModelWalker.GraphAndSubgraphs).ToList();
        Assert.NotEmpty(bodies);
        Assert.DoesNotContain(bodies.SelectMany(static b => b.Node), static n => n.OpType == "Cast" && n.Attribute.Any(static a => a.Name == "to" && a.I == F16));
        var reference = Run(input, feed, "f32");
        var expected = Run(rounded, feed, "rounded");
        var candidate = Run(result.Model, feed, "f16");
        var ratio = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"silero fp16: size ratio {ratio:0.0000}, speech probability {candidate["output"].ToFloatArray()[0]:0.00000} vs {reference["output"].ToFloatArray()[0]:0.00000} (float32)"));
        output.WriteLine(string.Join(Environment.NewLine, result.Notes));
        foreach (var name in new[] { "output", "hn", "cn" })
        {
            Assert.Equal((0L, 0L), NonFinite(candidate[name]));
            Assert.Equal(expected[name].ToFloatArray(), candidate[name].ToFloatArray());
        }

        Assert.Contains(result.Notes, static n => n.Contains("If ×1 (control flow", StringComparison.Ordinal));
        Assert.True(ratio < 0.85, $"size ratio {ratio}");
    }

    [Fact]
    public void Edge_cases_outer_references_default_ConstantOfShape_value_info_out_of_range_constants_and_internal_graph_outputs()
    {
        var model = ModelFile.Load(EdgeCaseModel(), "edge.onnx");
        var x = TensorData.Create(new[] { 0.5f, -1f, 2f, 0.25f, -0.5f, 1.5f, 3f, -2f }, 2, 4);

        var result = Quantize(model, ("mode", "fp16"));

        var graph = result.Model.Graph;
        Assert.Equal(F16, graph.ValueInfo.Single(static v => v.Name == "h").Type.TensorType.ElemType);
        Assert.Equal((int)TensorElementType.Float, graph.ValueInfo.Single(static v => v.Name == "m").Type.TensorType.ElemType);
        Assert.Equal(F16, graph.Node.Single(static n => n.OpType == "ConstantOfShape").Attribute.Single().T.DataType);
        Assert.Equal(F16, graph.Node.Single(static n => n.Name == "to_float").Attribute.Single().I);
        Assert.Contains(graph.Node, static n => n.Name == "masked" && n.Input[0].EndsWith("_fp32", StringComparison.Ordinal)); // kept: −1e9 is beyond float16
        var thenBranch = graph.Node.Single(static n => n.OpType == "If").Attribute.Single(static a => a.Name == "then_branch").G;
        Assert.Equal("h2_fp32", thenBranch.Node.Single().Input[0]); // the body reads a float32 copy of the outer value
        Assert.All(graph.Output, static o => Assert.Equal((int)TensorElementType.Float, o.Type.TensorType.ElemType));

        foreach (var flag in new[] { true, false })
        {
            var feed = new Dictionary<string, TensorData> { ["x"] = x, ["flag"] = TensorData.Create(new[] { flag }) };
            var reference = Run(model, feed, "f32");
            var candidate = Run(result.Model, feed, "f16");
            foreach (var name in new[] { "y", "y2", "masked_out" })
            {
                Assert.Equal((0L, 0L), NonFinite(candidate[name]));
                Assert.True(RelativeL2(candidate[name], reference[name]) < 2e-3, $"{name}: {RelativeL2(candidate[name], reference[name])}");
            }
        }
    }

    [Fact]
    public void Excluded_ops_stay_float32_and_are_listed()
    {
        var result = Quantize(Digits(), ("mode", "fp16"), ("exclude-op", "MatMul"));

        Assert.Contains(result.Notes, static n => n.Contains("MatMul ×3 (excluded by the recipe (op))", StringComparison.Ordinal));
        // The MatMul weights are still stored as float16, cast back to float32 for the kept MatMuls.
        Assert.All(result.Model.Graph.Initializer, static t => Assert.Equal(F16, t.DataType));
        Assert.Contains(result.Notes, static n => n.StartsWith("3 weight(s) read only by float32 nodes are stored as float16", StringComparison.Ordinal));
        var feed = new Dictionary<string, TensorData> { ["pixels"] = DigitsEval() };
        Assert.Equal(1.0, Top1Agreement(Run(result.Model, feed, "f16")["probabilities"], Run(Digits(), feed, "f32")["probabilities"]));
    }

    [Fact]
    public void Values_beyond_float16_are_clamped_and_tiny_ones_kept_non_zero()
    {
        var tensors = new Fp16Tensors();
        var half = tensors.ToHalf(TensorProtoConverter.FromTensorData(TensorData.Create(new[] { -1e9f, 1e-10f, -1e-10f, 0f, 1.5f, float.PositiveInfinity }, 6), "t"), null);

        var values = TensorProtoConverter.ToTensorData(half).AsSpan<Half>().ToArray();
        Assert.Equal(new[] {(Half)(-65504f), Half.Epsilon, -Half.Epsilon, (Half)0f, (Half)1.5f, Half.PositiveInfinity }, values);
        Assert.Equal(1, tensors.Clamped);
        Assert.Equal(2, tensors.RaisedFromZero);
    }

    [Fact]
    public void Bad_inputs_get_coded_errors()
    {
        var quantized = Quantize(Digits(), ("mode", "dynamic")).Model;
        Assert.Equal(PgCode.ModelAlreadyQuantized, Assert.Throws<PipelineGateException>(() => Quantize(quantized, ("mode", "fp16"))).Code);

        var identity = ModelFile.Load(TinyModels.Identity(TensorElementType.Float, "4"), "identity.onnx");
        Assert.Equal(PgCode.RecipeNotApplicable, Assert.Throws<PipelineGateException>(() => Quantize(identity, ("mode", "fp16"))).Code);
    }

    /// <summary>
    /// x[2,4] → MatMul(W) → h (value_info float) → Add(ConstantOfShape without value) → h2;
    /// ReduceMean(h2) → m (kept float32, value_info float); Size(h2) → Cast(to float) → to_float;
    /// If(flag) { Relu(h2) } else { Neg(h2) } reads h2 from the outer scope; y = Add(b, h2) is a graph
    /// output that Mul(y, 0.5 from value_float) also reads → y2; masked_out = Add(h2, −1e9 mask).
    /// </summary>
    private static byte[] EdgeCaseModel()
    {
        var g = new GraphProto { Name = "edge" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "2", "4"));
        g.Input.Add(TinyModels.Value("flag", TensorElementType.Bool));
        g.Initializer.Add(TensorProtoConverter.FromTensorData(TensorData.Create(Enumerable.Range(0, 16).Select(static i => (i % 5) * 0.25f - 0.5f).ToArray(), 4, 4), "W"));
        g.Initializer.Add(TensorProtoConverter.FromTensorData(TensorData.Create(new long[] { 2, 4 }, 2), "shape"));
        g.Initializer.Add(TensorProtoConverter.FromTensorData(TensorData.Create(new[] { 0f, -1e9f, 0f, 0f }, 4), "mask"));
        g.Node.Add(TinyModels.Node("MatMul", ["x", "W"], ["h"], "mm"));
        g.Node.Add(TinyModels.Node("ConstantOfShape", ["shape"], ["zeros"], "zeros"));
        g.Node.Add(TinyModels.Node("Add", ["h", "zeros"], ["h2"], "add"));
        var mean = TinyModels.Node("ReduceMean", ["h2"], ["m"], "mean");
        mean.Attribute.Add(new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1 } });
        g.Node.Add(mean);
        g.Node.Add(TinyModels.Node("Size", ["h2"], ["s"], "size_of"));
        var cast = TinyModels.Node("Cast", ["s"], ["sf"], "to_float");
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorElementType.Float });
        g.Node.Add(cast);
        var branch = If("then", "Relu");
        var other = If("else", "Neg");
        var @if = TinyModels.Node("If", ["flag"], ["b"], "if");
        @if.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        @if.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = other });
        g.Node.Add(@if);
        g.Node.Add(TinyModels.Node("Add", ["b", "h2"], ["y0"], "sum"));
        g.Node.Add(TinyModels.Node("Add", ["y0", "m"], ["y"], "plus_mean"));
        var half = TinyModels.Node("Constant", [], ["c"], "half");
        half.Attribute.Add(new AttributeProto { Name = "value_float", Type = AttributeProto.Types.AttributeType.Float, F = 0.5f });
        g.Node.Add(half);
        g.Node.Add(TinyModels.Node("Mul", ["y", "c"], ["y1"], "scale"));
        g.Node.Add(TinyModels.Node("Mul", ["y1", "sf"], ["y2"], "by_shape"));
        g.Node.Add(TinyModels.Node("Add", ["h2", "mask"], ["masked_out"], "masked"));
        g.ValueInfo.Add(TinyModels.Value("h", TensorElementType.Float, "2", "4"));
        g.ValueInfo.Add(TinyModels.Value("m", TensorElementType.Float, "2", "1"));
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "2", "4"));
        g.Output.Add(TinyModels.Value("y2", TensorElementType.Float, "2", "4"));
        g.Output.Add(TinyModels.Value("masked_out", TensorElementType.Float, "2", "4"));
        return TinyModels.Model(g, 17);

        static GraphProto If(string name, string op)
        {
            var body = new GraphProto { Name = name };
            body.Node.Add(TinyModels.Node(op, ["h2"], [name + "_out"], name + "_op"));
            body.Output.Add(TinyModels.Value(name + "_out", TensorElementType.Float, "2", "4"));
            return body;
        }
    }
}
