using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.EncoderFixtures;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize.Pruning;

/// <summary>Attention-head pruning on the real unfused MiniLM export, run by the real ONNX Runtime.</summary>
public sealed class HeadPrunerTests
{
    [Fact]
    public void Every_attention_block_of_MiniLM_is_followed_with_12_heads_of_32()
    {
        var leftAlone = new List<string>();
        var blocks = AttentionMatcher.Find(new GraphIndex(MiniLm()), leftAlone);
        Assert.Empty(leftAlone);
        Assert.Equal(6, blocks.Count);
        Assert.All(blocks, static b => Assert.Equal((12, 32, 32), (b.Heads, b.HeadSize, b.ValueHeadSize)));

        // Per block: the head count in the Q, K and V targets and the width 384 in the reshape back.
        Assert.All(blocks, static b => Assert.Equal(3, b.Entries.Count(static e => e.Kind == ShapeEntryKind.Heads)));
        Assert.All(blocks, static b => Assert.Single(b.Entries, static e => e.Kind == ShapeEntryKind.Width));
    }

    [Fact]
    public void Sparsity_zero_is_an_identity()
    {
        var model = MiniLm();
        var result = Prune(model, ("method", "heads"), ("sparsity", "0"));
        Assert.Equal(model.Graph.Initializer.Sum(static t => t.Dims.Aggregate(1L, static (a, d) => a * d)), result.Model.Graph.Initializer.Sum(static t => t.Dims.Aggregate(1L, static (a, d) => a * d)));
        Assert.Equal(0, MaxAbsDifference(Run(model, Feed, "a")["last_hidden_state"], Run(result.Model, Feed, "b")["last_hidden_state"]));
    }

    [Fact]
    public void Heads_whose_value_weights_are_zero_are_removed_without_changing_the_outputs()
    {
        // A head whose W_V columns are zero outputs its V bias b_V,h at every position (attention rows sum to 1):
        // removing it is exact only if b_V,h·W_O,h is folded into the output bias, and only if the Q/K columns of
        // the other heads stay aligned with their heads.
        var zeroed = MiniLm();
        var blocks = AttentionMatcher.Find(new GraphIndex(zeroed), []);
        var heads = new[] { new[] { 0, 3, 7, 11 }, [1, 2, 5, 8], [4, 6, 9, 10], [0, 1, 2, 3], [8, 9, 10, 11], [2, 5, 6, 9] };
        for (var l = 0; l < blocks.Count; l++)
        {
            var wv = zeroed.Graph.Node[blocks[l].Value.MatMul].Input[1];
            Zero(zeroed, wv, 1, heads[l].SelectMany(static h => Enumerable.Range(h * 32, 32)));
        }

        var result = Prune(zeroed, ("method", "heads"), ("sparsity", "0.34"));
        var pruned = AttentionMatcher.Find(new GraphIndex(result.Model), []);
        Assert.Equal(6, pruned.Count);
        Assert.All(pruned, static b => Assert.Equal(8, b.Heads));
        var constants = GraphConstants.Collect(result.Model.Graph);
        Assert.All(pruned, b => Assert.Equal(new long[] { 384, 256 }, constants[result.Model.Graph.Node[b.Query.MatMul].Input[1]].Dims));
        Assert.All(pruned, b => Assert.Equal(new long[] { 256, 384 }, constants[result.Model.Graph.Node[b.OutputMatMul].Input[1]].Dims));

        var expected = Run(zeroed, Feed, "zeroed")["last_hidden_state"];
        var actual = Run(result.Model, Feed, "pruned")["last_hidden_state"];
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(MaxAbsDifference(expected, actual) < 1e-4, $"max |Δ| {MaxAbsDifference(expected, actual)}");
    }

    [Fact]
    public void Ranking_across_layers_removes_the_requested_share_keeps_a_head_per_layer_and_records_it()
    {
        var model = MiniLm();
        var before = model.ToByteArray();
        var result = Prune(model, ("method", "heads"), ("sparsity", "0.5"), ("global", "true"));
        Assert.Equal(before, model.ToByteArray());

        var meta = JsonDocument.Parse(result.Model.Model.MetadataProps.Single(static p => p.Key == MagnitudePruner.MetadataKey).Value).RootElement;
        Assert.Equal("heads", meta.GetProperty("method").GetString());
        Assert.False(meta.GetProperty("perLayer").GetBoolean());
        Assert.Equal(36, meta.GetProperty("headsRemoved").GetInt32());
        Assert.Equal(72, meta.GetProperty("headsTotal").GetInt32());
        Assert.False(meta.GetProperty("fineTuned").GetBoolean());
        var perLayer = meta.GetProperty("removedPerLayer").EnumerateArray().Select(static e => e.GetInt32()).ToArray();
        Assert.Equal(36, perLayer.Sum());
        Assert.All(perLayer, static r => Assert.InRange(r, 0, 11));

        var output = Run(result.Model, Feed, "global")["last_hidden_state"];
        Assert.Equal(Feed["input_ids"].Shape.Concat([384L]), output.Shape);
        Assert.Equal((0L, 0L), NonFinite(output));
    }

    [Fact]
    public void The_config_accepts_heads_and_ffn_steps_with_and_without_max_drop_and_the_step_reads_them()
    {
        // max-drop with heads/ffn was refused (PG1004) before the search handled blocks; it is now read like any other method's.
        using var dir = new Gate.Config.ConfigDir();
        var steps = dir.Load("version: 1\nmodels:\n  - path: m.onnx\n    variants:\n      - { name: h, steps: [ { prune: { method: heads, sparsity: 34% } } ] }\n      - { name: f, steps: [ { prune: { method: ffn, sparsity: 30%, global: true } } ] }\n"
                + "      - { name: hs, steps: [ { prune: { method: heads, sparsity: 34%, max-drop: 0.05 } } ] }\n      - { name: fs, steps: [ { prune: { method: ffn, sparsity: 30%, max-drop: 2 pp } } ] }\n")
            .Models[0].Variants.Skip(1).Select(static v => PruneOptions.Parse(v.Steps[0])).ToArray();
        Assert.Equal(("heads", true), (steps[0].Method, steps[0].PerLayer));
        Assert.Equal(0.34, steps[0].Sparsity, 9);
        Assert.Null(steps[0].MaxDrop);
        Assert.Equal(("ffn", false), (steps[1].Method, steps[1].PerLayer));
        Assert.Equal(0.3, steps[1].Sparsity, 9);
        Assert.Equal(("heads", 0.05), (steps[2].Method, steps[2].MaxDrop!.Value));
        Assert.Equal("ffn", steps[3].Method);
        Assert.Equal(0.02, steps[3].MaxDrop!.Value, 9);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("150%")]
    public void Sparsity_outside_zero_to_one_is_a_coded_error(string sparsity)
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("method", "heads"), ("sparsity", sparsity)));
        Assert.Equal(PgCode.PruneAmountOutOfRange, e.Diagnostic.Code);
    }

    [Fact]
    public void An_N_M_pattern_with_heads_is_a_coded_error()
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("method", "heads"), ("pattern", "2:4")));
        Assert.Equal(PgCode.PrunePatternUnfollowable, e.Diagnostic.Code);
        Assert.Contains("attention heads", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_attention_is_a_coded_error_naming_the_pattern()
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("method", "heads"), ("sparsity", "0.3")));
        Assert.Equal(PgCode.NothingToPrune, e.Diagnostic.Code);
        Assert.Contains("no multi-head attention", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fused_Attention_op_is_left_alone_and_named()
    {
        var g = new GraphProto { Name = "fused" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "1", "4", "8"));
        g.Initializer.Add(Weight(new Random(1), "qkv", 8, 24));
        g.Initializer.Add(Weight(new Random(2), "qkv_bias", 24));
        var attention = TinyModels.Node("Attention", ["x", "qkv", "qkv_bias"], ["y"], "Attention_0");
        attention.Domain = "com.microsoft";
        attention.Attribute.Add(Int("num_heads", 2));
        g.Node.Add(attention);
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "1", "4", "8"));
        var model = ModelFile.Load(TinyModels.Model(g), "fused.onnx");

        var e = Assert.Throws<PipelineGateException>(() => Prune(model, ("method", "heads"), ("sparsity", "0.5")));
        Assert.Equal(PgCode.AttentionNotFollowable, e.Diagnostic.Code);
        Assert.Contains("Attention 'Attention_0': a fused Attention op", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_whose_attention_output_is_also_a_graph_output_is_left_alone_and_listed()
    {
        var model = MiniLm();
        var blocks = AttentionMatcher.Find(new GraphIndex(model), []);
        var context = model.Graph.Node[blocks[2].OutputMatMul].Input[0];
        model.Graph.Output.Add(TinyModels.Value(context, TensorElementType.Float, "batch", "sequence", "384"));

        var result = Prune(model, ("method", "heads"), ("sparsity", "0.25"));
        Assert.Contains(result.Notes, static n => n.Contains("1 attention block(s) left alone", StringComparison.Ordinal));
        var meta = JsonDocument.Parse(result.Model.Model.MetadataProps.Single(static p => p.Key == MagnitudePruner.MetadataKey).Value).RootElement;
        Assert.Equal(15, meta.GetProperty("headsRemoved").GetInt32());
        var outputs = Run(result.Model, Feed, "partial");
        Assert.Equal(384, outputs[context].Shape[^1]);
    }
}
