using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// Embedding lookups (Gather over a constant table) stored in 8 bits: the values ONNX Runtime returns after the
/// DequantizeLinear, against values computed by hand from the uint8 formula (scale = (max − min) / 255 over the
/// range widened to include 0, zero point = round(−min / scale), x̂ = (round(x / scale) + zp − zp) · scale).
/// </summary>
public sealed class EmbeddingQuantizationTests
{
    // Table [64, 16]: row r, column c holds (r − 20) · (c + 1) · 0.01, so column c spans −0.2(c+1) … 0.43(c+1) and row 20 is 0.
    private const int Rows = 64;
    private const int Columns = 16;

    [Fact]
    public void Per_column_uint8_table_gives_the_hand_computed_values()
    {
        var result = Quantize(Lookup(), ("mode", "dynamic"), ("weight-type", "uint8"));
        var graph = result.Model.Model.Graph;
        Assert.Equal(["Gather", "DequantizeLinear"], graph.Node.Select(static n => n.OpType));
        var table = graph.Initializer.Single(t => t.Name == graph.Node[0].Input[0]);
        Assert.Equal((int)TensorElementType.UInt8, table.DataType);
        Assert.Equal(-1, graph.Node[1].Attribute.Single(static a => a.Name == "axis").I);
        Assert.Contains(result.Notes, static n => n.StartsWith("1 embedding table(s)", StringComparison.Ordinal) && n.Contains("4,096 → 1,104 bytes", StringComparison.Ordinal));

        var output = Run(result.Model, new Dictionary<string, TensorData> { ["ids"] = TensorData.Create(new long[] { 0, 63, 20 }, 1, 3) }, "e8")["embedding"].ToFloatArray();
        for (var c = 0; c < Columns; c++)
        {
            // Every column has scale 0.63(c+1)/255 and zero point round(0.2 · 255 / 0.63) = 81.
            var scale = 0.63 * (c + 1) / 255;
            Assert.Equal(-81 * scale, output[c], 5);                 // row 0: −0.2(c+1) → q 0
            Assert.Equal(174 * scale, output[Columns + c], 5);       // row 63: 0.43(c+1) → q 255
            Assert.Equal(0f, output[(2 * Columns) + c]);             // row 20: 0 is exact
        }
    }

    [Fact]
    public void Per_tensor_table_has_one_scale()
    {
        var result = Quantize(Lookup(), ("mode", "dynamic"), ("per-channel", "false"), ("weight-type", "uint8"));
        Assert.DoesNotContain(result.Model.Model.Graph.Node[1].Attribute, static a => a.Name == "axis");
        var output = Run(result.Model, new Dictionary<string, TensorData> { ["ids"] = TensorData.Create(new long[] { 0, 20 }, 1, 2) }, "e8t")["embedding"].ToFloatArray();

        // One range −3.2 … 6.88: scale 10.08/255, zero point round(3.2/scale) = 81; −0.2 → q round(−5.06 + 81) = 76.
        var scale = 10.08 / 255;
        Assert.Equal(-5 * scale, output[0], 5);
        Assert.Equal(0f, output[Columns]);
    }

    [Fact]
    public void Embeddings_false_keeps_the_table_in_float()
    {
        var error = Assert.Throws<PipelineGate.Diagnostics.PipelineGateException>(() => Quantize(Lookup(), ("mode", "dynamic"), ("embeddings", "false")));
        Assert.Equal(PipelineGate.Diagnostics.PgCode.RecipeNotApplicable, error.Code);
    }

    private static ModelFile Lookup()
    {
        var values = new float[Rows * Columns];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                values[(r * Columns) + c] = (r - 20) * (c + 1) * 0.01f;
            }
        }

        var graph = new GraphProto { Name = "lookup" };
        graph.Input.Add(TinyModels.Value("ids", TensorElementType.Int64, "1", "n"));
        graph.Output.Add(TinyModels.Value("embedding", TensorElementType.Float, "1", "n", "16"));
        graph.Initializer.Add(FloatInitializer("table", values, Rows, Columns));
        graph.Node.Add(TinyModels.Node("Gather", ["table", "ids"], ["embedding"], "lookup"));
        return ModelFile.Load(TinyModels.Model(graph), "lookup.onnx");
    }
}
