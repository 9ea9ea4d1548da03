using PipelineGate.Measure.Statistics;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>
/// The paired bootstrap of Spearman's ρ on the pair cosines of the real all-MiniLM-L6-v2 (fp32 and dynamic int8, real
/// ONNX Runtime) over TestData/pairs/prefix-pairs.csv (36 pairs scored by word overlap, not by people).
/// </summary>
public sealed class SpearmanBootstrapTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-spearman-boot-").FullName;
    private readonly string _csv = RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/pairs/prefix-pairs.csv");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PairSimilarityResult Evaluate(string model, IReadOnlyList<SentencePair> pairs) =>
        PairSimilarity.Evaluate(model, pairs, _csv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);

    [Fact]
    public void The_paired_interval_of_int8_minus_fp32_contains_the_difference_and_is_reproducible()
    {
        var pairs = SentencePairs.Read(_csv);
        var scores = pairs.Select(static p => p.Score).ToArray();
        var int8Path = Path.Combine(_dir, "int8.onnx");
        ModelWriter.Save(Quantize(ModelFile.Load(RealEncoder.MiniLmModel), ("mode", "dynamic")).Model, int8Path);
        var fp32 = Evaluate(RealEncoder.MiniLmModel, pairs);
        var int8 = Evaluate(int8Path, pairs);

        var paired = SpearmanBootstrap.Paired(fp32.Cosines, int8.Cosines, scores);
        output.WriteLine($"fp32 ρ {fp32.Spearman:0.0000}, int8 ρ {int8.Spearman:0.0000}, Δ {paired.Difference:+0.0000;-0.0000} (95% CI {paired.Interval.Lower:+0.0000;-0.0000} … {paired.Interval.Upper:+0.0000;-0.0000})");

        Assert.Equal(36, paired.Pairs);
        Assert.Equal(fp32.Spearman, paired.RhoA);
        Assert.Equal(int8.Spearman, paired.RhoB);
        Assert.Equal(int8.Spearman - fp32.Spearman, paired.Difference, 15);
        Assert.True(paired.Interval.Contains(paired.Difference), $"{paired.Interval} does not contain {paired.Difference}");
        Assert.True(paired.Interval.Upper > paired.Interval.Lower, "fp32 and int8 cosines differ, so the resamples' differences do");
        Assert.Equal(1000, paired.Interval.Resamples);

        // Same cosines, same seed: the same interval to the last bit; another seed draws other resamples.
        Assert.Equal(paired, SpearmanBootstrap.Paired(fp32.Cosines, int8.Cosines, scores));
        Assert.NotEqual(paired.Interval, SpearmanBootstrap.Paired(fp32.Cosines, int8.Cosines, scores, seed: 1).Interval);

        // The interval of ρ alone contains ρ, and pairing is tighter than the two models' own intervals are wide.
        var own = SpearmanBootstrap.Interval(int8.Cosines, scores);
        Assert.True(own.Contains(int8.Spearman), $"{own} does not contain {int8.Spearman}");
        Assert.True(paired.Interval.Upper - paired.Interval.Lower < own.Upper - own.Lower, $"paired {paired.Interval} vs own {own}");
    }

    [Fact]
    public void The_paired_change_of_a_model_against_itself_is_exactly_zero()
    {
        var pairs = SentencePairs.Read(_csv);
        var scores = pairs.Select(static p => p.Score).ToArray();
        var a = Evaluate(RealEncoder.MiniLmModel, pairs);
        var b = Evaluate(RealEncoder.MiniLmModel, pairs); // a second session on the same file

        var paired = SpearmanBootstrap.Paired(a.Cosines, b.Cosines, scores);

        Assert.Equal(0.0, paired.Difference);
        Assert.Equal(0.0, paired.Interval.Lower);
        Assert.Equal(0.0, paired.Interval.Upper);
    }

    [Fact]
    public void Resamples_without_a_ranking_are_drawn_again_so_the_interval_is_defined()
    {
        // Three pairs, two distinct scores: many resamples draw one score only (no ranking) and are redrawn.
        double[] cosines = [0.1, 0.5, 0.9];
        double[] scores = [0, 0, 1];
        var interval = SpearmanBootstrap.Interval(cosines, scores, resamples: 200);
        Assert.False(double.IsNaN(interval.Lower));
        Assert.InRange(interval.Lower, -1, 1);
        Assert.InRange(interval.Upper, interval.Lower, 1);
    }
}
