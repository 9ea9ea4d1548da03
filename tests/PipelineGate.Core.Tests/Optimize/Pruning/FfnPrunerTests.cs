using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.EncoderFixtures;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize.Pruning;

/// <summary>FFN neuron pruning on the real MiniLM export (Gelu written as Div → Erf → Add → Mul → Mul), run by the real ONNX Runtime.</summary>
public sealed class FfnPrunerTests
{
    [Fact]
    public void The_six_FFN_blocks_of_MiniLM_are_found_through_the_decomposed_Gelu_and_nothing_else()
    {
        var blocks = FfnBlock.Find(new GraphIndex(MiniLm()), []);
        Assert.Equal(6, blocks.Count);
        Assert.All(blocks, static b => Assert.Equal(1536, b.Neurons));
    }

    [Fact]
    public void Sparsity_zero_is_an_identity()
    {
        var model = MiniLm();
        var result = Prune(model, ("method", "ffn"), ("sparsity", "0"));
        Assert.Equal(0, MaxAbsDifference(Run(model, Feed, "a")["last_hidden_state"], Run(result.Model, Feed, "b")["last_hidden_state"]));
    }

    [Fact]
    public void Neurons_whose_down_rows_are_zero_are_removed_without_changing_the_outputs()
    {
        // A neuron whose W_down row is zero contributes nothing whatever its activation; removing it is exact only if
        // the up columns, the up bias and the down rows are sliced at the same positions.
        var zeroed = MiniLm();
        var blocks = FfnBlock.Find(new GraphIndex(zeroed), []);
        for (var l = 0; l < blocks.Count; l++)
        {
            var layer = l;
            Zero(zeroed, zeroed.Graph.Node[blocks[l].Down].Input[1], 0, Enumerable.Range(0, 1536).Where(j => (j + layer) % 4 == 1));
        }

        var input = zeroed.ToByteArray();
        var result = Prune(zeroed, ("method", "ffn"), ("sparsity", "0.25"));
        Assert.Equal(input, zeroed.ToByteArray());
        var pruned = FfnBlock.Find(new GraphIndex(result.Model), []);
        Assert.Equal(6, pruned.Count);
        Assert.All(pruned, static b => Assert.Equal(1152, b.Neurons));
        var constants = GraphConstants.Collect(result.Model.Graph);
        Assert.All(pruned, b => Assert.Equal(new long[] { 1152, 384 }, constants[result.Model.Graph.Node[b.Down].Input[1]].Dims));

        var expected = Run(zeroed, Feed, "zeroed")["last_hidden_state"];
        var actual = Run(result.Model, Feed, "pruned")["last_hidden_state"];
        Assert.True(MaxAbsDifference(expected, actual) < 1e-4, $"max |Δ| {MaxAbsDifference(expected, actual)}");
    }

    [Fact]
    public void Thirty_percent_keeps_a_multiple_of_eight_per_layer_and_records_it()
    {
        var result = Prune(MiniLm(), ("method", "ffn"), ("sparsity", "0.3"));
        var meta = JsonDocument.Parse(result.Model.Model.MetadataProps.Single(static p => p.Key == MagnitudePruner.MetadataKey).Value).RootElement;
        Assert.Equal("ffn", meta.GetProperty("method").GetString());

        // floor(0.3 × 1536) = 460 removed would keep 1076; rounded up to a multiple of 8, 1080 are kept (456 removed).
        Assert.All(meta.GetProperty("removedPerLayer").EnumerateArray(), static e => Assert.Equal(456, e.GetInt32()));
        Assert.Equal(9216, meta.GetProperty("neuronsTotal").GetInt32());
        var output = Run(result.Model, Feed, "ffn30")["last_hidden_state"];
        Assert.Equal((0L, 0L), NonFinite(output));
    }

    [Fact]
    public void Ranking_across_layers_keeps_every_layer_and_removes_the_requested_share()
    {
        var result = Prune(MiniLm(), ("method", "ffn"), ("sparsity", "0.4"), ("per-layer", "false"), ("multiple-of", "1"));
        var meta = JsonDocument.Parse(result.Model.Model.MetadataProps.Single(static p => p.Key == MagnitudePruner.MetadataKey).Value).RootElement;
        var perLayer = meta.GetProperty("removedPerLayer").EnumerateArray().Select(static e => e.GetInt32()).ToArray();
        Assert.Equal(3686, perLayer.Sum());
        Assert.All(perLayer, static r => Assert.InRange(r, 0, 1535));
        Assert.Equal((0L, 0L), NonFinite(Run(result.Model, Feed, "global")["last_hidden_state"]));
    }

    [Fact]
    public void A_CNN_has_no_FFN_block_and_that_is_a_coded_error()
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(Cnn(), ("method", "ffn"), ("sparsity", "0.3")));
        Assert.Equal(PgCode.NothingToPrune, e.Diagnostic.Code);
        Assert.Contains("no feed-forward block", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("-1")]
    public void Sparsity_outside_zero_to_one_is_a_coded_error(string sparsity)
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(MiniLm(), ("method", "ffn"), ("sparsity", sparsity)));
        Assert.Equal(PgCode.PruneAmountOutOfRange, e.Diagnostic.Code);
    }
}
