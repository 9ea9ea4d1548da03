using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>The stable topological sort used before validation, the compute estimate and every rewrite.</summary>
public sealed class NodeOrderTests
{
    /// <summary>x → a → c, x → b → c, then d from c; listed as given.</summary>
    private static ModelBuilder Diamond(params string[] order)
    {
        var nodes = new Dictionary<string, (string Op, string[] In, string[] Out)>(StringComparer.Ordinal)
        {
            ["a"] = ("Relu", ["x"], ["ya"]),
            ["b"] = ("Neg", ["x"], ["yb"]),
            ["c"] = ("Add", ["ya", "yb"], ["yc"]),
            ["d"] = ("Sigmoid", ["yc"], ["y"]),
        };
        var builder = new ModelBuilder().Input("x", TensorElementType.Float, 4);
        foreach (var name in order)
        {
            var (op, inputs, outputs) = nodes[name];
            builder.Node(op, inputs, outputs, name);
        }

        return builder.Output("y", TensorElementType.Float, 4);
    }

    private static string[] Names(GraphProto g) => g.Node.Select(static n => n.Name).ToArray();

    [Fact]
    public void A_sorted_graph_keeps_its_order_and_the_same_model_is_returned()
    {
        var file = Diamond("b", "a", "c", "d").ToFile("m.onnx");

        var result = NodeOrder.Sort(file.Graph);

        Assert.True(result.IsIdentity);
        Assert.Empty(result.Cyclic);
        Assert.Same(file, NodeOrder.Sorted(file));
    }

    [Fact]
    public void An_unsorted_graph_is_sorted_stably_in_a_copy_and_the_loaded_model_is_untouched()
    {
        var file = Diamond("d", "c", "b", "a").ToFile("m.onnx");

        var sorted = NodeOrder.Sorted(file);

        Assert.NotSame(file, sorted);
        Assert.Equal(["d", "c", "b", "a"], Names(file.Graph));

        // b and a are both ready at the start: b is listed first, so it stays first.
        Assert.Equal(["b", "a", "c", "d"], Names(sorted.Graph));
    }

    [Fact]
    public void A_node_waits_for_the_outer_values_its_subgraph_reads()
    {
        var file = Models.If(Nodes.Make("Relu", ["late"], ["y_then"], "then_relu"))
            .Node("Sigmoid", ["x"], ["late"], "sig")
            .ToFile("m.onnx");

        Assert.Equal(["sig", "if"], Names(NodeOrder.Sorted(file).Graph));
    }

    [Fact]
    public void Nodes_in_a_cycle_are_named_and_kept_at_the_end()
    {
        var file = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Add", ["x", "q"], ["p"], "p")
            .Node("Relu", ["p"], ["q"], "q")
            .Node("Neg", ["x"], ["y"], "free")
            .Output("y", TensorElementType.Float, 4)
            .ToFile("m.onnx");

        var result = NodeOrder.Sort(file.Graph);

        Assert.Equal([0, 1], result.Cyclic);
        Assert.Equal([2, 0, 1], result.Order);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Any_shuffle_of_a_chain_sorts_back_to_the_chain(int seed)
    {
        var builder = new ModelBuilder().Input("h0", TensorElementType.Float, 4);
        var order = Enumerable.Range(1, 30).ToArray();
        new Random(seed).Shuffle(order);
        foreach (var i in order)
        {
            builder.Node("Relu", [$"h{i - 1}"], [$"h{i}"], $"n{i}");
        }

        var sorted = NodeOrder.Sorted(builder.Output("h30", TensorElementType.Float, 4).ToFile("m.onnx"));

        Assert.Equal(Enumerable.Range(1, 30).Select(static i => $"n{i}"), Names(sorted.Graph));
    }
}
