using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.Facts;

/// <summary>
/// Quantized graphs count the same multiply-accumulates as their float originals: each integer operator
/// (and DynamicQuantizeLinear, whose scale and zero point feed the dequantizing Mul) passes shapes on.
/// </summary>
public sealed class IntegerOpComputeTests
{
    private const long MatMulMacs = 8L * 32 * 16;
    private const long ConvMacs = 16L * 32 * 32 * 3 * 3 * 3;

    private static ComputeEstimate Estimate(ModelBuilder builder) => ComputeEstimator.Estimate(builder.Build().Graph);

    private static Proto.TensorProto U8(string name, params long[] dims) => TensorProtos.Raw(name, TensorElementType.UInt8, dims, new byte[dims.Aggregate(1L, static (a, d) => a * d)]);

    private static ModelBuilder Weights(ModelBuilder builder, long[] dims) => builder
        .Initializer(U8("W_q", dims))
        .Initializer(TensorProtos.Floats("W_scale", [], 0.01f))
        .Initializer(U8("W_zp"));

    [Fact]
    public void DynamicQuantizeLinear_then_MatMulInteger_counts_the_matmul_and_the_dequantizing_mul_has_a_shape()
    {
        var builder = Weights(new ModelBuilder().Input("x", TensorElementType.Float, 1, 8, 16), [16, 32])
            .Node("DynamicQuantizeLinear", ["x"], ["x_q", "x_scale", "x_zp"], "dql")
            .Node("MatMulInteger", ["x_q", "W_q", "x_zp", "W_zp"], ["y_i32"], "mmi")
            .Node("Cast", ["y_i32"], ["y_f"], "cast", Attr.Int("to", 1))
            .Node("Mul", ["x_scale", "W_scale"], ["scale"], "scale")
            .Node("Mul", ["y_f", "scale"], ["y_mm"], "dequant")
            .Node("MatMul", ["y_mm", "W2"], ["y"], "after")
            .Initializer("W2", [32, 4])
            .Output("y", TensorElementType.Float, 1, 8, 4);

        var e = Estimate(builder);

        // The float MatMul after the dequantization is counted too: shapes flowed through Mul(x_scale, W_scale).
        Assert.Equal(MatMulMacs + (8L * 4 * 32), e.Macs);
        Assert.Equal(2, e.NodesCounted);
        Assert.True(e.Complete);
    }

    [Fact]
    public void DynamicQuantizeLinear_then_ConvInteger_counts_the_conv()
    {
        var builder = Weights(new ModelBuilder().Input("x", TensorElementType.Float, 1, 3, 32, 32), [16, 3, 3, 3])
            .Node("DynamicQuantizeLinear", ["x"], ["x_q", "x_scale", "x_zp"], "dql")
            .Node("ConvInteger", ["x_q", "W_q", "x_zp", "W_zp"], ["y"], "convi", Attr.Ints("pads", 1, 1, 1, 1));

        var e = Estimate(builder);

        Assert.Equal(ConvMacs, e.Macs);
        Assert.True(e.Complete);
    }

    [Fact]
    public void QLinearMatMul_takes_its_weight_from_input_3()
    {
        var builder = new ModelBuilder().Input("x", TensorElementType.Float, 1, 8, 16)
            .Initializer(TensorProtos.Floats("s", [], 0.1f))
            .Initializer(U8("zp"))
            .Initializer(U8("W_q", 16, 32))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["x_q"], "q")
            .Node("QLinearMatMul", ["x_q", "s", "zp", "W_q", "s", "zp", "s", "zp"], ["y_q"], "qmm")
            .Node("DequantizeLinear", ["y_q", "s", "zp"], ["y"], "dq");

        var e = Estimate(builder);

        Assert.Equal(MatMulMacs, e.Macs);
        Assert.True(e.Complete);
    }

    [Fact]
    public void QLinearConv_takes_its_weight_from_input_3()
    {
        var builder = new ModelBuilder().Input("x", TensorElementType.Float, 1, 3, 32, 32)
            .Initializer(TensorProtos.Floats("s", [], 0.1f))
            .Initializer(U8("zp"))
            .Initializer(U8("W_q", 16, 3, 3, 3))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["x_q"], "q")
            .Node("QLinearConv", ["x_q", "s", "zp", "W_q", "s", "zp", "s", "zp"], ["y_q"], "qconv", Attr.Ints("pads", 1, 1, 1, 1));

        Assert.Equal(ConvMacs, Estimate(builder).Macs);
    }

    [Fact]
    public void QDQ_pairs_keep_the_shape_for_the_float_conv_between_them()
    {
        var builder = new ModelBuilder().Input("x", TensorElementType.Float, 1, 3, 32, 32)
            .Initializer(TensorProtos.Floats("s", [], 0.1f))
            .Initializer(U8("zp"))
            .Initializer(U8("W_q", 16, 3, 3, 3))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["x_q"], "q")
            .Node("DequantizeLinear", ["x_q", "s", "zp"], ["x_dq"], "dq")
            .Node("DequantizeLinear", ["W_q", "s", "zp"], ["W"], "w_dq")
            .Node("Conv", ["x_dq", "W"], ["y"], "conv", Attr.Ints("pads", 1, 1, 1, 1));

        Assert.Equal(ConvMacs, Estimate(builder).Macs);
    }

    [Fact]
    public void DynamicQuantizeMatMul_counts_like_matmul()
    {
        var builder = new ModelBuilder().Input("x", TensorElementType.Float, 1, 8, 16)
            .Initializer(U8("W_q", 16, 32))
            .Initializer(TensorProtos.Floats("W_scale", [], 0.01f))
            .Initializer(U8("W_zp"))
            .Node("DynamicQuantizeMatMul", ["x", "W_q", "W_scale", "W_zp"], ["y"], "dqmm");

        Assert.Equal(MatMulMacs, Estimate(builder).Macs);
    }

    [Fact]
    public void DynamicQuantizeLSTM_counts_like_the_float_LSTM()
    {
        // seq 5, batch 1, input 16, hidden 8: W is [1, 16, 32] (transposed), R is [1, 8, 32].
        var quantized = new ModelBuilder().Input("x", TensorElementType.Float, 5, 1, 16)
            .Initializer(U8("W", 1, 16, 32))
            .Initializer(U8("R", 1, 8, 32))
            .Node("DynamicQuantizeLSTM", ["x", "W", "R"], ["y"], "qlstm", Attr.Int("hidden_size", 8));
        var original = new ModelBuilder().Input("x", TensorElementType.Float, 5, 1, 16)
            .Initializer("W", [1, 32, 16])
            .Initializer("R", [1, 32, 8])
            .Node("LSTM", ["x", "W", "R"], ["y"], "lstm", Attr.Int("hidden_size", 8));

        Assert.Equal(5L * ((32 * 16) + (32 * 8)), Estimate(original).Macs);
        Assert.Equal(Estimate(original).Macs, Estimate(quantized).Macs);
    }
}
