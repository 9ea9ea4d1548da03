using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
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

public sealed class Int4WeightOnlyTests(ITestOutputHelper output)
{
    [Fact]
    public void Packing_scales_and_zero_points_match_hand_computed_values()
    {
        // K = 20, N = 2, block 16: two blocks per column, the second padded with 12 zeros.
        var w = new float[20 * 2];
        float[] column0 = [-1f, 2f, 0f, 0.5f, .. Enumerable.Repeat(0.1f, 12), 0.3f, 0.6f, 0.9f, 1.5f];
        float[] column1 = [.. new float[16], -0.75f, -0.25f, 0f, 0f];
        for (var k = 0; k < 20; k++)
        {
            (w[k * 2], w[(k * 2) + 1]) = (column0[k], column1[k]);
        }

        var q = Int4BlockQuantization.Quantize(w, 20, 2, 16);

        // Column 0, block 0: range [−1, 2] → scale 3/15 = 0.2, zero round(1/0.2) = 5;
        //   −1 → 0, 2 → 15, 0 → 5, 0.5 → round(2.5) = 2 (half to even) + 5 = 7, 0.1 → round(0.5) = 0 + 5 = 5.
        // Column 0, block 1: range [0, 1.5] → scale 0.1, zero 0; 0.3, 0.6, 0.9, 1.5 → 3, 6, 9, 15; padding → 0.
        // Column 1, block 0: all zero → scale 1, zero 0. Block 1: range [−0.75, 0] → scale 0.05, zero 15;
        //   −0.75 → 0, −0.25 → 10, 0 → 15; padding → 15.
        byte[] expected =
        [
            0xF0, 0x75, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
            0x63, 0xF9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0xA0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ];
        Assert.Equal(expected, q.Packed);
        Assert.Equal(2, q.Blocks);
        Assert.Equal(new[] { 0.2f, 0.1f, 1f, 0.05f }, q.Scales, (a, b) => Math.Abs(a - b) < 1e-7f);
        Assert.Equal(new byte[] { 0x05, 0xF0 }, q.ZeroPoints); // block 0 low nibble, block 1 high nibble
        Assert.Equal(2f, Int4BlockQuantization.Dequantize(q, 16, 1, 0), 6);
        Assert.Equal(-0.25f, Int4BlockQuantization.Dequantize(q, 16, 17, 1), 6);
    }

    [Theory]
    [InlineData(32, 0)]
    [InlineData(32, 4)]
    [InlineData(64, 0)]
    public void ORT_MatMulNBits_computes_exactly_the_dequantized_product_including_K_padding(int blockSize, int accuracyLevel)
    {
        const int M = 3, K = 80, N = 16; // K = 80 is not a multiple of 32 or 64
        var rng = new Random(5);
        var weights = Enumerable.Range(0, K * N).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray();
        var a = Enumerable.Range(0, M * K).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var g = new GraphProto { Name = "mm" };
        g.Input.Add(TinyModels.Value("a", TensorElementType.Float, "3", "80"));
        g.Initializer.Add(TensorProtoConverter.FromTensorData(TensorData.Create(weights, K, N), "w"));
        g.Node.Add(TinyModels.Node("MatMul", ["a", "w"], ["y"], "mm"));
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "3", "16"));
        var model = ModelFile.Load(TinyModels.Model(g), "mm.onnx");

        var result = Int4WeightOnly.Apply(model, new QuantizeOptions { Mode = "int4", BlockSize = blockSize }, accuracyLevel);

        var node = result.Model.Graph.Node.Single();
        Assert.Equal((Int4WeightOnly.OpType, "com.microsoft"), (node.OpType, node.Domain));
        Assert.Equal(new long[] { K, N, 4, blockSize, accuracyLevel }, new[] { "K", "N", "bits", "block_size", "accuracy_level" }.Select(n => NodeAttributes.Int(node, n, -1)));
        var blocks = (K + blockSize - 1) / blockSize;
        var initializers = result.Model.Graph.Initializer.ToDictionary(static t => t.Name);
        Assert.Equal(new long[] { N, blocks, blockSize / 2 }, initializers[node.Input[1]].Dims);
        Assert.Equal(new long[] { N, blocks }, initializers[node.Input[2]].Dims);
        Assert.Equal(new long[] { N, (blocks + 1) / 2 }, initializers[node.Input[3]].Dims);
        Assert.DoesNotContain(ModelValidator.Validate(result.Model), static d => d.Severity == DiagnosticSeverity.Error);

        var q = Int4BlockQuantization.Quantize(weights, K, N, blockSize);
        var actual = Run(result.Model, new Dictionary<string, TensorData> { ["a"] = TensorData.Create(a, M, K) }, "q4")["y"].ToFloatArray();
        var worst = 0.0;
        for (var m = 0; m < M; m++)
        {
            for (var n = 0; n < N; n++)
            {
                var expected = Enumerable.Range(0, K).Sum(k => (double)a[(m * K) + k] * Int4BlockQuantization.Dequantize(q, blockSize, k, n));
                worst = Math.Max(worst, Math.Abs(expected - actual[(m * N) + n]));
            }
        }

        // accuracy_level 4 quantizes A to int8 per block inside the kernel: close, not exact.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"block {blockSize}, accuracy_level {accuracyLevel}: max |ORT − A·dequant(W)| = {worst:G3}"));
        Assert.True(worst < (accuracyLevel == 0 ? 1e-4 : 0.05), $"max difference {worst}");
    }

    [Fact]
    public void Digits_keeps_its_top1_agreement_on_the_evaluation_set()
    {
        var input = Digits();
        var before = input.ToByteArray();

        var result = Quantize(input, ("mode", "int4"));

        Assert.Equal(before, input.ToByteArray());
        var graph = result.Model.Graph;
        Assert.Equal(new[] { "fc1/MatMul_q4", "fc2/MatMul_q4" }, graph.Node.Where(static n => n.OpType == Int4WeightOnly.OpType).Select(static n => n.Name));
        Assert.Contains(graph.Node, static n => n is { OpType: "MatMul", Name: "fc3/MatMul" }); // N = 10: kept, and noted
        Assert.Contains(result.Notes, static n => n.Contains("fc3/MatMul: N = 10 outputs is below 16", StringComparison.Ordinal));
        Assert.Contains(result.Model.Model.MetadataProps, static p => p.Key == "pipelinegate.quantization" && p.Value.Contains("\"mode\":\"int4\"", StringComparison.Ordinal));
        Assert.DoesNotContain(ModelValidator.Validate(result.Model), static d => d.Severity == DiagnosticSeverity.Error);

        var feed = new Dictionary<string, TensorData> { ["pixels"] = DigitsEval() };
        var reference = Run(input, feed, "f32")["probabilities"];
        var candidate = Run(result.Model, feed, "q4")["probabilities"];
        var labels = NpyFile.Read(RepoPaths.Of("samples/digits/eval/labels.npy")).AsSpan<long>().ToArray();
        var predictions = candidate.ToFloatArray().Chunk(10).Select(static row => Array.IndexOf(row, row.Max())).ToArray();
        var accuracy = predictions.Zip(labels, static (p, l) => p == l).Count(static ok => ok) / (double)labels.Length;
        var agreement = Top1Agreement(candidate, reference);
        var ratio = (double)result.Model.ToByteArray().Length / before.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digits int4 (block 32): size ratio {ratio:0.0000}, top-1 agreement {agreement:0.0000}, accuracy {accuracy:0.0000} (float32: 0.9749), relative L2 {RelativeL2(candidate, reference):0.0000}"));
        Assert.Equal((0L, 0L), NonFinite(candidate));
        Assert.True(agreement >= 0.95, $"top-1 agreement {agreement}");
        Assert.True(ratio < 0.35, $"size ratio {ratio}");
    }

    [Fact]
    public void OCR_recognizer_quantizes_its_nine_constant_weight_MatMuls_and_reads_the_same_characters()
    {
        var input = ModelFile.Load(RealModels.OcrRecognizer);
        var feed = new Dictionary<string, TensorData> { ["x"] = TextLine(48, 320, 7) };

        var result = Quantize(input, ("mode", "int4"), ("block-size", "32"));

        Assert.Equal(9, result.Model.Graph.Node.Count(static n => n.OpType == Int4WeightOnly.OpType));
        Assert.Equal(4, result.Model.Graph.Node.Count(static n => n.OpType == "MatMul")); // attention: activation × activation
        var ratio = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;
        var reference = Run(input, feed, "f32")["softmax_11.tmp_0"];
        var candidate = Run(result.Model, feed, "q4")["softmax_11.tmp_0"];
        var agreement = Top1Agreement(candidate, reference);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recognizer int4 (block 32): size ratio {ratio:0.0000}, per-timestep top-1 agreement {agreement:0.0000}, relative L2 {RelativeL2(candidate, reference):0.0000}"));
        output.WriteLine(string.Join(Environment.NewLine, result.Notes));
        Assert.True(ratio < 0.7, $"size ratio {ratio}");
        Assert.Equal((0L, 0L), NonFinite(candidate));
        Assert.True(agreement >= 0.95, $"top-1 agreement {agreement}");
        Assert.True(RelativeL2(candidate, reference) < 0.05);
    }

    [Fact]
    public void Block_size_comes_from_the_recipe()
    {
        var result = Quantize(Digits(), ("mode", "int4"), ("block-size", "64"));

        Assert.All(result.Model.Graph.Node.Where(static n => n.OpType == Int4WeightOnly.OpType), static n => Assert.Equal(64, NodeAttributes.Int(n, "block_size", 0)));
        Assert.Contains(result.Notes, static n => n.Contains("fc3/MatMul: K = 32 is below the block size 64", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_inputs_get_coded_errors()
    {
        var quantized = Quantize(Digits(), ("mode", "int4")).Model;
        Assert.Equal(PgCode.ModelAlreadyQuantized, Assert.Throws<PipelineGateException>(() => Quantize(quantized, ("mode", "int4"))).Code);

        var tooSmall = Assert.Throws<PipelineGateException>(() => Quantize(Digits(), ("mode", "int4"), ("block-size", "128")));
        Assert.Equal(PgCode.RecipeNotApplicable, tooSmall.Code);
        Assert.Contains("K = 64 is below the block size 128", tooSmall.Diagnostic.Message, StringComparison.Ordinal);

        var identity = ModelFile.Load(TinyModels.Identity(TensorElementType.Float, "4"), "identity.onnx");
        Assert.Equal(PgCode.RecipeNotApplicable, Assert.Throws<PipelineGateException>(() => Quantize(identity, ("mode", "int4"))).Code);
    }
}
