using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize.Pruning;

public sealed class ChannelPrunerTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, long> ClassifierDims = new(StringComparer.Ordinal)
    {
        ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 48, ["p2o.DynamicDimension.2"] = 192,
    };

    [Fact]
    public void The_analysis_ties_residual_channels_and_leaves_the_output_layer_alone()
    {
        var model = Cnn();
        var plan = ChannelPruner.Plan(model, new PruneOptions { Method = "channel", Sparsity = 0.5, MultipleOf = 1 });
        var byLabel = plan.Analysis.Producers.ToDictionary(static p => p.Label);

        // c1 and c2 meet in the residual Add: channel c of both is one class.
        Assert.All(Enumerable.Range(0, 8), c => Assert.Equal(plan.Analysis.Find(byLabel["c1"].Ids[c]), plan.Analysis.Find(byLabel["c2"].Ids[c])));
        // The Gemm's outputs are the graph output: never pruned, and listed.
        Assert.Contains(plan.LeftAlone, static l => l.StartsWith("fc:", StringComparison.Ordinal) && l.Contains("graph output", StringComparison.Ordinal));
        // Classes: 8 tied (c1/c2) + 6 (c3) + 4 (c4) + 8 (c5); half of each cluster goes.
        Assert.Equal(26, plan.Classes.Count);
        Assert.Equal(4 + 3 + 2 + 4, plan.Removed.Count);
    }

    [Fact]
    public void Ratio_zero_is_an_identity_on_the_synthetic_cnn_and_the_real_classifier()
    {
        foreach (var (model, feed) in new[]
        {
            (Cnn(), new Dictionary<string, TensorData> { ["x"] = CnnInput(1) }),
            (ModelFile.Load(RealModels.OcrClassifier), new Dictionary<string, TensorData> { ["x"] = TextLine(48, 192, 4) }),
        })
        {
            var result = Prune(model, ("method", "channel"), ("sparsity", "0"));
            var name = model.Graph.Output[0].Name;
            var expected = Run(model, feed, "original")[name];
            var actual = Run(result.Model, feed, "pruned")[name];
            Assert.Equal(expected.ToFloatArray(), actual.ToFloatArray());
            Assert.Equal(ParameterCount(model), ParameterCount(result.Model));
        }
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.3, false)]
    public void Removing_channels_whose_weights_are_zero_leaves_the_synthetic_cnn_outputs_unchanged_while_shapes_shrink(double sparsity, bool perLayer)
    {
        var options = new PruneOptions { Method = "channel", Sparsity = sparsity, PerLayer = perLayer, MultipleOf = 1 };
        var zeroed = ZeroRemovedChannels(Cnn(), ChannelPruner.Plan(Cnn(), options));
        var pruned = ChannelPruner.Apply(zeroed, options).Model;

        var feed = new Dictionary<string, TensorData> { ["x"] = CnnInput(2) };
        var expected = Run(zeroed, feed, "zeroed")["y"];
        var actual = Run(pruned, feed, "pruned")["y"];
        Assert.True(MaxAbsDifference(expected, actual) < 1e-5, $"max |Δ| = {MaxAbsDifference(expected, actual)}");
        Assert.True(ParameterCount(pruned) < ParameterCount(zeroed));
        var dw = pruned.Graph.Node.Single(static n => n.Name == "dw");
        Assert.True(NodeAttributes.Int(dw, "group", 0) < 8, "the depthwise Conv's groups shrink with its channels");
    }

    [Fact]
    public void Removing_channels_whose_weights_are_zero_leaves_the_real_classifier_outputs_unchanged_while_shapes_shrink()
    {
        var model = ModelFile.Load(RealModels.OcrClassifier);
        var options = new PruneOptions { Method = "channel", Sparsity = 0.3, MultipleOf = 1 };
        var plan = ChannelPruner.Plan(model, options);
        var zeroed = ZeroRemovedChannels(model, plan);
        var pruned = ChannelPruner.Apply(zeroed, options).Model;

        var name = model.Graph.Output[0].Name;
        double worst = 0;
        for (var seed = 0; seed < 3; seed++)
        {
            var feed = new Dictionary<string, TensorData> { ["x"] = TextLine(48, 192, seed) };
            worst = Math.Max(worst, MaxAbsDifference(Run(zeroed, feed, "zeroed")[name], Run(pruned, feed, "pruned")[name]));
        }

        output.WriteLine($"{plan.Removed.Count} of {plan.Classes.Count} channel classes removed; max |Δ softmax| = {worst:G3}");
        Assert.True(worst < 1e-4, $"max |Δ| = {worst}");

        // The last conv's shape is read (Shape → Slice of the batch, concatenated with a constant 200 into the Reshape
        // target before the classifier's MatMul): followed, so the constant and the MatMul's rows shrink with it, and what
        // is left alone is only the MatMul's own two classes (read by the Softmax that is the output).
        Assert.True(plan.LeftAlone.Count == 1 && plan.LeftAlone[0].StartsWith("p2o.MatMul.0: ", StringComparison.Ordinal), string.Join("; ", plan.LeftAlone));
        var last = pruned.Graph.Node.Single(static n => n.Name == "p2o.Conv.52");
        var kept = GraphConstantsOf(pruned)[last.Input[1]].Dims[0];
        Assert.InRange(kept, 1, 199);
        var matMul = pruned.Graph.Node.Single(static n => n.OpType == "MatMul");
        Assert.Equal(kept, GraphConstantsOf(pruned)[matMul.Input[1]].Dims[0]);
        Assert.True(plan.Removed.Count > plan.Classes.Count / 5);
        Assert.True(ParameterCount(pruned) < 0.8 * ParameterCount(zeroed));
    }

    [Fact]
    public void Thirty_percent_of_the_real_classifier_channels_gives_a_valid_smaller_model_and_leaves_the_input_alone()
    {
        var model = ModelFile.Load(RealModels.OcrClassifier);
        var bytes = model.ToByteArray();
        var result = Prune(model, ("method", "channel"), ("sparsity", "30%"));

        Assert.Equal(bytes, model.ToByteArray());
        var before = ModelInspector.Inspect(model, fixedDims: ClassifierDims);
        var after = ModelInspector.Inspect(result.Model, fixedDims: ClassifierDims);
        output.WriteLine($"params {before.ParameterCount} → {after.ParameterCount}, MACs {before.Compute.Macs} → {after.Compute.Macs}");
        output.WriteLine(string.Join("\n", result.Notes));
        Assert.True(after.ParameterCount <= 0.75 * before.ParameterCount);
        Assert.True(after.Compute.Macs <= 0.75 * before.Compute.Macs);
        Assert.Contains(MagnitudePruner.MetadataKey, after.Metadata.Keys);
        Assert.Contains("\"method\":\"channel\"", after.Metadata[MagnitudePruner.MetadataKey], StringComparison.Ordinal);

        // ONNX Runtime loads and runs it; no NaN, and the two-class softmax still sums to one.
        var probabilities = Run(result.Model, new Dictionary<string, TensorData> { ["x"] = TextLine(48, 192, 9) }, "pruned")[model.Graph.Output[0].Name].ToFloatArray();
        Assert.Equal(1.0, probabilities.Sum(), 4);
        Assert.DoesNotContain(probabilities, float.IsNaN);

        // Fidelity, post-training without fine-tuning, reported (docs/performance.md), not asserted: it is what it is.
        var name = model.Graph.Output[0].Name;
        var (agree, worst) = (0, 0.0);
        const int Lines = 32;
        for (var seed = 100; seed < 100 + Lines; seed++)
        {
            var feed = new Dictionary<string, TensorData> { ["x"] = TextLine(48, 192, seed) };
            var a = Run(model, feed, "original")[name];
            var b = Run(result.Model, feed, "pruned")[name];
            agree += (int)Math.Round(Top1Agreement(b, a));
            worst = Math.Max(worst, MaxAbsDifference(a, b));
        }

        output.WriteLine($"fidelity on {Lines} synthetic text lines: top-1 agreement {agree}/{Lines}, max |Δ softmax| {worst:0.000}");
    }

    [Fact]
    public void A_layer_it_cannot_follow_is_left_alone_and_listed()
    {
        var result = Prune(Cnn(transposeTail: true), ("method", "channel"), ("sparsity", "0.5"), ("multiple-of", "1"));
        var c5 = result.Model.Graph.Node.Single(static n => n.Name == "c5");
        Assert.Equal(8, GraphConstantsOf(result.Model)[c5.Input[1]].Dims[0]);
        Assert.Contains(result.Notes, static n => n.Contains("c5: its output channels is read by Transpose 'tail_transpose'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 1, true)]
    [InlineData(1, 2, false)]
    [InlineData(0, 2, false)]
    public void A_shape_read_is_followed_only_when_it_keeps_the_dimensions_before_the_channels(long start, long end, bool followed)
    {
        // c5's output shape → Slice [start, end) → a second graph output: the batch alone does not change with c5's channels.
        var model = Cnn();
        var g = model.Graph;
        g.Node.Add(TestAssets.Models.TinyModels.Node("Shape", ["l"], ["l_shape"], "tail_shape"));
        g.Initializer.Add(TensorProtoConverter.FromTensorData(TensorData.Create(new[] { start }, 1), "tail_start"));
        g.Initializer.Add(TensorProtoConverter.FromTensorData(TensorData.Create(new[] { end }, 1), "tail_end"));
        g.Node.Add(TestAssets.Models.TinyModels.Node("Slice", ["l_shape", "tail_start", "tail_end"], ["l_dims"], "tail_slice"));
        g.Output.Add(TestAssets.Models.TinyModels.Value("l_dims", TensorElementType.Int64, (end - start).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var feed = new Dictionary<string, TensorData> { ["x"] = CnnInput(1) };
        var before = Run(model, feed, "original")["l_dims"].AsSpan<long>().ToArray();

        var result = Prune(model, ("method", "channel"), ("sparsity", "0.5"), ("multiple-of", "1"));
        var c5 = result.Model.Graph.Node.Single(static n => n.Name == "c5");
        var after = Run(result.Model, feed, "pruned")["l_dims"].AsSpan<long>().ToArray();
        if (followed)
        {
            Assert.Equal(4, GraphConstantsOf(result.Model)[c5.Input[1]].Dims[0]);
            Assert.Equal(before, after);
            Assert.DoesNotContain(result.Notes, static n => n.Contains("c5:", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(8, GraphConstantsOf(result.Model)[c5.Input[1]].Dims[0]);
            Assert.Equal(before, after);
            Assert.Contains(result.Notes, static n => n.Contains("c5: its output channels has its shape read by Slice 'tail_slice'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_model_with_nothing_prunable_is_a_coded_error()
    {
        var g = new Onnx.Proto.GraphProto { Name = "one" };
        g.Input.Add(TestAssets.Models.TinyModels.Value("x", TensorElementType.Float, "1", "3", "4", "4"));
        g.Initializer.Add(Weight(new Random(1), "w", 2, 3, 1, 1));
        g.Node.Add(Conv("only", ["x", "w"], "y"));
        g.Output.Add(TestAssets.Models.TinyModels.Value("y", TensorElementType.Float, "1", "2", "4", "4"));
        var model = ModelFile.Load(TestAssets.Models.TinyModels.Model(g), "one.onnx");

        var e = Assert.Throws<PipelineGateException>(() => Prune(model, ("method", "channel"), ("sparsity", "0.5")));
        Assert.Equal(PgCode.NothingToPrune, e.Diagnostic.Code);
        Assert.Contains("only: its output channels reaches the graph output 'y'", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, Onnx.Proto.TensorProto> GraphConstantsOf(ModelFile m) => PipelineGate.Optimize.GraphConstants.Collect(m.Graph);

    private static long ParameterCount(ModelFile m) => ModelInspector.Inspect(m).ParameterCount;
}
