using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize.Pruning;

public sealed class MagnitudePrunerTests
{
    private static float[] Weight(ModelFile m, string name) => WeightTensors.Read(GraphConstants.Collect(m.Graph)[name], m);

    private static string[] MatMulWeights(ModelFile m) => [.. m.Graph.Node.Where(static n => n.OpType == "MatMul").Select(static n => n.Input[1])];

    [Fact]
    public void Per_layer_zeroes_exactly_the_smallest_share_of_every_layer_and_keeps_shapes_and_biases()
    {
        var model = Digits();
        var result = Prune(model, ("sparsity", "50%"), ("skip-first-last", "false"));
        foreach (var name in MatMulWeights(model))
        {
            var before = Weight(model, name);
            var after = Weight(result.Model, name);
            Assert.Equal(before.Length, after.Length);
            Assert.Equal(before.Length / 2, after.Count(static v => v == 0));
            var threshold = before.Select(MathF.Abs).Order().ElementAt((before.Length / 2) - 1);
            Assert.All(after.Zip(before), p => Assert.True(p.First == p.Second || (p.First == 0 && MathF.Abs(p.Second) <= threshold)));
        }

        var biases = model.Graph.Node.Where(static n => n.OpType == "Add").Select(static n => n.Input[1]).ToArray();
        Assert.All(biases, b => Assert.Equal(Weight(model, b), Weight(result.Model, b)));
        Assert.Contains(result.Notes, static n => n.Contains("Dense latency is unchanged", StringComparison.Ordinal));
    }

    [Fact]
    public void First_and_last_layers_are_skipped_by_default_and_global_ranking_hits_the_total()
    {
        var model = Digits();
        var names = MatMulWeights(model);
        var result = Prune(model, ("sparsity", "0.6"), ("global", "true"));
        Assert.Equal(Weight(model, names[0]), Weight(result.Model, names[0]));
        Assert.Equal(Weight(model, names[^1]), Weight(result.Model, names[^1]));
        var middle = Weight(result.Model, names[1]);
        // The only layer left in the ranking takes the whole global share (weights that were zero already are among the smallest).
        Assert.Equal((int)Math.Floor(0.6 * middle.Length), middle.Count(static v => v == 0));
    }

    [Fact]
    public void Ratio_zero_is_an_identity()
    {
        var model = Digits();
        var result = Prune(model, ("sparsity", "0"), ("skip-first-last", "false"));
        var feed = new Dictionary<string, TensorData> { ["pixels"] = DigitsEval() };
        Assert.Equal(Run(model, feed, "a")["probabilities"].ToFloatArray(), Run(result.Model, feed, "b")["probabilities"].ToFloatArray());
    }

    [Fact]
    public void Two_four_keeps_two_of_every_four_along_the_input_axis_and_skips_layers_that_cannot_follow()
    {
        var model = Cnn();
        var result = Prune(model, ("method", "nm"), ("skip-first-last", "false"));
        // w2 [8, 8, 1, 1]: along the 8 input channels, every group of 4 has at least 2 zeros.
        var w2 = Weight(result.Model, "w2");
        for (var o = 0; o < 8; o++)
        {
            for (var g = 0; g < 8; g += 4)
            {
                Assert.True(Enumerable.Range(g, 4).Count(c => w2[(o * 8) + c] == 0) >= 2);
            }
        }

        // w1 has 3 input channels and the depthwise Conv one: both stay dense and are listed.
        Assert.Equal(Weight(model, "w1"), Weight(result.Model, "w1"));
        Assert.Contains(result.Notes, static n => n.Contains("c1: reduction size 3 is not a multiple of 4", StringComparison.Ordinal));
    }

    [Fact]
    public void Fifty_percent_on_the_real_classifier_shrinks_the_compressed_file_and_runs()
    {
        var model = ModelFile.Load(RealModels.OcrClassifier);
        var result = Prune(model, ("sparsity", "0.5"));
        var before = PipelineGate.Measure.Size.SizeMeter.Measure(model);
        var after = PipelineGate.Measure.Size.SizeMeter.Measure(ModelFile.Load(result.Model.ToByteArray(), "pruned.onnx"));
        Assert.True(after.CompressedBytes < 0.75 * before.CompressedBytes, $"{after.CompressedBytes} vs {before.CompressedBytes}");
        Assert.Equal(before.ParameterCount, after.ParameterCount);
        var p = Run(result.Model, new Dictionary<string, TensorData> { ["x"] = TextLine(48, 192, 1) }, "pruned")[model.Graph.Output[0].Name].ToFloatArray();
        Assert.Equal(1.0, p.Sum(), 4);
    }

    [Theory]
    [InlineData("1", PgCode.PruneAmountOutOfRange)]
    [InlineData("-0.1", PgCode.PruneAmountOutOfRange)]
    [InlineData("150%", PgCode.PruneAmountOutOfRange)]
    [InlineData("half", PgCode.PruneAmountOutOfRange)]
    public void A_sparsity_outside_zero_to_one_is_a_coded_error(string sparsity, PgCode code)
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("sparsity", sparsity)));
        Assert.Equal(code, e.Diagnostic.Code);
    }

    [Theory]
    [InlineData("4:2")]
    [InlineData("2-4")]
    [InlineData("0:4")]
    public void A_malformed_pattern_is_a_coded_error(string pattern)
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("pattern", pattern)));
        Assert.Equal(PgCode.PrunePatternUnfollowable, e.Diagnostic.Code);
    }

    [Fact]
    public void A_pattern_no_layer_can_follow_and_a_contradicting_sparsity_are_coded_errors()
    {
        // The digits MLP's layers have K = 64, 64, 32: none is a multiple of 3.
        var e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("pattern", "1:3"), ("skip-first-last", "false")));
        Assert.Equal(PgCode.PrunePatternUnfollowable, e.Diagnostic.Code);
        e = Assert.Throws<PipelineGateException>(() => Prune(Digits(), ("pattern", "2:4"), ("sparsity", "0.3")));
        Assert.Equal(PgCode.PrunePatternUnfollowable, e.Diagnostic.Code);
    }

    [Fact]
    public void A_model_whose_only_layers_are_first_and_last_has_nothing_to_prune()
    {
        var e = Assert.Throws<PipelineGateException>(() => Prune(ModelFile.Load(TestAssets.Models.TinyModels.MatMulChain(8, 2), "two.onnx"), ("sparsity", "0.5")));
        Assert.Equal(PgCode.NothingToPrune, e.Diagnostic.Code);
        Assert.Contains("skip-first-last", e.Diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_after_quantize_is_a_coded_error_and_prune_then_quantize_composes()
    {
        var quantized = Quantize(Digits(), ("mode", "dynamic")).Model;
        var e = Assert.Throws<PipelineGateException>(() => Prune(quantized, ("sparsity", "0.5")));
        Assert.Equal(PgCode.StepAfterQuantize, e.Diagnostic.Code);

        using var dir = new TempDir();
        var here = new SourceLocation("pipelinegate.yml", 3, 7);
        var variant = new VariantConfig("pruned-int8", [new RecipeStep("prune", new Dictionary<string, string> { ["sparsity"] = "50%" }, here), new RecipeStep("quantize", new Dictionary<string, string>(), here)], here);
        var (path, notes) = VariantBuilder.Build(RepoPaths.Of("samples/digits/digits_mlp.onnx"), variant, dir.Path, new OptimizationContext(dir.Path, null), "test");
        var built = ModelFile.Load(path);
        Assert.Contains(built.Model.MetadataProps, static p => p.Key == MagnitudePruner.MetadataKey);
        Assert.Contains(built.Model.MetadataProps, static p => p.Key == "pipelinegate.quantization");
        Assert.Contains(notes, static n => n.StartsWith("prune: ", StringComparison.Ordinal));
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pg-prune-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
