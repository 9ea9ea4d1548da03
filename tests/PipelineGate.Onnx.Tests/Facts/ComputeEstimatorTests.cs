using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.Facts;

/// <summary>Multiply-accumulate counts for the heavy operators, from static shapes.</summary>
public sealed class ComputeEstimatorTests
{
    private static ComputeEstimate Estimate(ModelBuilder builder) => ComputeEstimator.Estimate(builder.Build().Graph);

    private static ModelBuilder Conv(object? batch = null, bool withShape = true)
    {
        var builder = new ModelBuilder();
        if (withShape)
        {
            builder.Input("x", TensorElementType.Float, batch ?? 1L, 3, 32, 32);
        }
        else
        {
            builder.InputWithoutShape("x");
        }

        return builder
            .Initializer("W", [16, 3, 3, 3])
            .Node("Conv", ["x", "W"], ["y"], "conv1", Attr.Ints("pads", 1, 1, 1, 1), Attr.Ints("strides", 1, 1), Attr.Ints("kernel_shape", 3, 3))
            .Output("y", TensorElementType.Float, batch ?? 1L, 16, 32, 32);
    }

    [Fact]
    public void Conv_macs_are_output_elements_times_kernel_volume()
    {
        var estimate = Estimate(Conv());
        Assert.Equal(16L * 32 * 32 * 3 * 3 * 3, estimate.Macs);
        Assert.Equal(442368, estimate.Macs);
        Assert.Equal(2 * 442368, estimate.Flops);
        Assert.Equal(1, estimate.NodesCounted);
        Assert.True(estimate.Complete);
        Assert.Empty(estimate.AssumedSymbolicDims);
    }

    [Fact]
    public void Strided_unpadded_conv_uses_the_smaller_output()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 3, 32, 32)
            .Initializer("W", [8, 3, 3, 3])
            .Node("Conv", ["x", "W"], ["y"], "conv", Attr.Ints("strides", 2, 2));
        // Output 15x15 (floor((32 - 3) / 2) + 1).
        Assert.Equal(8L * 15 * 15 * 27, Estimate(builder).Macs);
    }

    [Fact]
    public void Grouped_conv_counts_input_channels_per_group()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 16, 8, 8)
            .Initializer("W", [16, 1, 3, 3])
            .Node("Conv", ["x", "W"], ["y"], "depthwise", Attr.Int("group", 16), Attr.Ints("pads", 1, 1, 1, 1));
        Assert.Equal(16L * 8 * 8 * 9, Estimate(builder).Macs);
    }

    [Fact]
    public void Gemm_macs_are_m_times_n_times_k()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 128)
            .Initializer("W", [128, 10])
            .Initializer("B", [10])
            .Node("Gemm", ["x", "W", "B"], ["y"], "fc")
            .Output("y", TensorElementType.Float, 1, 10);
        Assert.Equal(1280, Estimate(builder).Macs);
    }

    [Fact]
    public void Gemm_with_transposed_weight_gives_the_same_macs()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 128)
            .Initializer("W", [10, 128])
            .Node("Gemm", ["x", "W"], ["y"], "fc", Attr.Int("transB", 1));
        Assert.Equal(1280, Estimate(builder).Macs);
    }

    [Fact]
    public void Batched_matmul_macs_include_the_batch()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 2, 8, 64)
            .Initializer("W", [64, 32])
            .Node("MatMul", ["x", "W"], ["y"], "proj")
            .Output("y", TensorElementType.Float, 2, 8, 32);
        var estimate = Estimate(builder);
        Assert.Equal(2L * 8 * 32 * 64, estimate.Macs);
        Assert.Equal(0, estimate.AttentionMatMuls);
    }

    [Fact]
    public void Lstm_macs_are_steps_times_batch_times_gate_products()
    {
        const int seq = 5, batch = 1, input = 10, hidden = 20;
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, seq, batch, input)
            .Initializer("W", [1, 4 * hidden, input])
            .Initializer("R", [1, 4 * hidden, hidden])
            .Node("LSTM", ["x", "W", "R"], ["y"], "lstm", Attr.Int("hidden_size", hidden));
        var estimate = Estimate(builder);
        Assert.Equal(5L * 1 * ((4 * 20 * 10) + (4 * 20 * 20)), estimate.Macs);
        Assert.Equal(1, estimate.NodesCounted);
    }

    [Fact]
    public void Batch_first_lstm_reads_sequence_length_from_the_second_dim()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 5, 10)
            .Initializer("W", [1, 80, 10])
            .Initializer("R", [1, 80, 20])
            .Node("LSTM", ["x", "W", "R"], ["y"], "lstm", Attr.Int("hidden_size", 20), Attr.Int("layout", 1));
        Assert.Equal(5L * ((80 * 10) + (80 * 20)), Estimate(builder).Macs);
    }

    [Fact]
    public void Conv_transpose_macs_are_input_elements_times_output_channels_times_kernel()
    {
        // x [1,16,8,8], W [C_in=16, C_out=8, 3, 3], stride 2: every input element scatters into 8 x 3 x 3 outputs.
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 16, 8, 8)
            .Initializer("W", [16, 8, 3, 3])
            .Node("ConvTranspose", ["x", "W"], ["y"], "up", Attr.Ints("strides", 2, 2))
            .Node("Relu", ["y"], ["z"], "relu");
        var estimate = Estimate(builder);
        Assert.Equal(16L * 8 * 8 * 8 * 3 * 3, estimate.Macs);
        Assert.True(estimate.Complete);
    }

    [Fact]
    public void Conv_transpose_output_shape_feeds_the_next_conv()
    {
        // ConvTranspose 8x8 -> 17x17 (2 * 7 + 3), then a 1x1 conv to 4 channels: 4 x 17 x 17 x 8.
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 16, 8, 8)
            .Initializer("W", [16, 8, 3, 3])
            .Initializer("W2", [4, 8, 1, 1])
            .Node("ConvTranspose", ["x", "W"], ["y"], "up", Attr.Ints("strides", 2, 2))
            .Node("Conv", ["y", "W2"], ["z"], "pointwise");
        Assert.Equal((16L * 8 * 8 * 8 * 9) + (4L * 17 * 17 * 8), Estimate(builder).Macs);
    }

    [Fact]
    public void Matmul_of_two_activations_counts_as_attention()
    {
        // scores = Q x K^T with Q [1,4,16,8] and K [1,4,16,8] both computed from the input.
        var builder = new ModelBuilder()
            .Input("q", TensorElementType.Float, 1, 4, 16, 8)
            .Input("k", TensorElementType.Float, 1, 4, 16, 8)
            .Node("Transpose", ["k"], ["kt"], "kt", Attr.Ints("perm", 0, 1, 3, 2))
            .Node("MatMul", ["q", "kt"], ["scores"], "qk")
            .Node("Softmax", ["scores"], ["p"], "softmax", Attr.Int("axis", -1))
            .Initializer("Wo", [16, 16])
            .Node("MatMul", ["p", "Wo"], ["y"], "out");
        var estimate = Estimate(builder);
        Assert.Equal(1, estimate.AttentionMatMuls);
        Assert.Equal(2, estimate.NodesCounted);
        Assert.Equal((4L * 16 * 16 * 8) + (4L * 16 * 16 * 16), estimate.Macs);
    }

    [Fact]
    public void Symbolic_batch_is_taken_as_one_and_reported()
    {
        var estimate = Estimate(Conv(batch: "batch"));
        Assert.Equal(442368, estimate.Macs);
        Assert.Equal(new[] { "batch" }, estimate.AssumedSymbolicDims);
    }

    [Fact]
    public void Unnamed_unknown_dim_is_reported_by_input_and_position()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, null, 128)
            .Initializer("W", [128, 10])
            .Node("Gemm", ["x", "W"], ["y"], "fc");
        var estimate = Estimate(builder);
        Assert.Equal(1280, estimate.Macs);
        Assert.Equal(new[] { "x[0]" }, estimate.AssumedSymbolicDims);
    }

    [Fact]
    public void Conv_with_unknown_input_shape_is_listed_as_uncounted()
    {
        var estimate = Estimate(Conv(withShape: false));
        Assert.Equal(0, estimate.Macs);
        Assert.Equal(0, estimate.NodesCounted);
        Assert.Equal(new[] { "conv1 (Conv)" }, estimate.UncountedNodes);
        Assert.False(estimate.Complete);
    }

    [Fact]
    public void Unnamed_uncounted_node_is_listed_by_index()
    {
        var builder = new ModelBuilder()
            .InputWithoutShape("x")
            .Initializer("W", [4, 4])
            .Node("Relu", ["x"], ["r"], "relu")
            .Configure(static m => m.Graph.Node.Add(Nodes.Make("MatMul", ["r", "W"], ["y"], string.Empty)));
        Assert.Equal(new[] { "#1 (MatMul)" }, Estimate(builder).UncountedNodes);
    }

    [Fact]
    public void Shapes_flow_through_reshape_flatten_and_pooling()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 3, 32, 32)
            .Initializer("W", [16, 3, 3, 3])
            .Initializer(TensorProtos.Int64s("shape", [2], 1, -1))
            .Initializer("Fc", [4096, 10])
            .Node("Conv", ["x", "W"], ["c"], "conv", Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c"], ["r"], "relu")
            .Node("MaxPool", ["r"], ["p"], "pool", Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", 2, 2))
            .Node("Reshape", ["p", "shape"], ["f"], "reshape")
            .Node("MatMul", ["f", "Fc"], ["y"], "fc");
        var estimate = Estimate(builder);
        Assert.True(estimate.Complete);
        Assert.Equal(442368 + (4096L * 10), estimate.Macs);
    }

    [Fact]
    public void Conv_without_a_weight_input_is_uncounted_not_a_crash()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 3, 8, 8)
            .Node("Conv", ["x"], ["y"], "broken");
        Assert.Equal(new[] { "broken (Conv)" }, Estimate(builder).UncountedNodes);
    }

    [Fact]
    public void Global_pool_on_an_input_of_rank_below_two_derives_no_shape_not_a_crash()
    {
        // Found by the fuzz harness (seed 5, input 7149): a rank-1 input made the rule repeat a negative count.
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 8)
            .Initializer("W", [8, 4])
            .Node("GlobalAveragePool", ["x"], ["p"], "gap")
            .Node("MatMul", ["p", "W"], ["y"], "fc");
        var estimate = Estimate(builder);
        Assert.Equal(new[] { "fc (MatMul)" }, estimate.UncountedNodes);
        Assert.False(estimate.Complete);
    }
}
