using PipelineGate.Measure.Environment;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Tensors;
using Xunit;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// <c>weight-type: auto</c> (the default of dynamic quantization): int8 weights where the CPU has VNNI, uint8 where it
/// has not, the choice named in the notes; a written weight type is used as written on every CPU.
/// </summary>
public sealed class WeightTypeAutoTests
{
    [Fact]
    public void Auto_takes_the_type_this_cpu_runs_fast_and_says_which()
    {
        var vnni = CpuInfo.IsaFlags().Any(static f => f is "avx512_vnni" or "avx_vnni" or "amx_int8");
        var result = Quantize(Digits(), ("mode", "dynamic"));
        var types = WeightTypes(result.Model.Model.Graph);
        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Equal(vnni ? (int)TensorElementType.Int8 : (int)TensorElementType.UInt8, t));
        var note = Assert.Single(result.Notes, static n => n.Contains("MatMul/Gemm", StringComparison.Ordinal));
        Assert.Contains(vnni ? "symmetric int8 (weight-type auto: this CPU has VNNI" : "asymmetric uint8 (weight-type auto: no VNNI on this CPU)", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uint8", TensorElementType.UInt8)]
    [InlineData("int8", TensorElementType.Int8)]
    public void A_written_weight_type_is_used_on_every_cpu(string weightType, TensorElementType expected)
    {
        var result = Quantize(Digits(), ("mode", "dynamic"), ("weight-type", weightType));
        Assert.All(WeightTypes(result.Model.Model.Graph), t => Assert.Equal((int)expected, t));
        Assert.DoesNotContain(result.Notes, static n => n.Contains("weight-type auto", StringComparison.Ordinal));
    }

    /// <summary>The element types of the quantized weights: the second input of every MatMulInteger.</summary>
    private static List<int> WeightTypes(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(static t => t.Name, StringComparer.Ordinal);
        return graph.Node.Where(static n => n.OpType is "MatMulInteger" or "DynamicQuantizeMatMul")
            .Select(n => initializers[n.Input[1]].DataType).ToList();
    }
}
