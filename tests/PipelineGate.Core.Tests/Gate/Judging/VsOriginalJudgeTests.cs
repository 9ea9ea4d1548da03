using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using Xunit;
using static PipelineGate.Tests.Gate.Judging.JudgeFixture;

namespace PipelineGate.Tests.Gate.Judging;

/// <summary>
/// <c>vs: original</c> budgets and the PG4006 notice, on synthetic interleaved samples: the variant's comparison
/// with the original is judged like a base-branch regression, and only a clear slowdown raises the notice.
/// </summary>
public sealed class VsOriginalJudgeTests
{
    private static BudgetConfig NoSlowerThanOriginal(string metric = "latency.p50") =>
        Regression(metric, 0) with { Variant = "int8", VsOriginal = true };

    /// <summary>An int8 variant whose interleaved run with the original is <paramref name="factor"/> times slower; its own base comparison is unchanged.</summary>
    private static VariantResult Int8(double factor, double noise = 0.05, int pairs = 200, int seed = 7)
    {
        var vs = Paired(factor, noise, pairs, seed);
        var target = Paired(1.0, 0.05, 200, seed: 11) with
        {
            VsOriginal = new OriginalComparison(vs.BaselineLatency!, vs.Latency!, vs.Comparison!),
        };
        return Variant(target, name: "int8") with { Recipe = ["quantize(mode=dynamic)"] };
    }

    [Fact]
    public void A_variant_clearly_slower_than_the_original_fails_with_both_named()
    {
        var c = Judge(NoSlowerThanOriginal(), Int8(2.3));

        Assert.Equal(CheckOutcome.Fail, c.Outcome);
        Assert.Equal(PgCode.LatencyRegression, c.Code);
        Assert.Equal(BudgetKind.RegressionFromOriginal, c.Kind);
        Assert.Equal("no increase vs original", c.BudgetText);
        Assert.StartsWith("latency.p50 of int8 vs original on cpu: ", c.Message, StringComparison.Ordinal);
        Assert.Matches(@"^[^:]+: 2\.\d+ ms → 4\.\d+ ms, median \+1\d\d\.\d%", c.Message);
        Assert.Contains("slower beyond the budget", c.Message, StringComparison.Ordinal);
        Assert.True(c.DeltaLower > 1.2, c.Message);
    }

    [Fact]
    public void The_base_comparison_does_not_decide_a_vs_original_budget()
    {
        // Unchanged against the base branch, but 30% slower than the original: only the latter counts here,
        // and a plain regression budget on the same variant still passes.
        var variant = Int8(1.3);
        Assert.Equal(CheckOutcome.Fail, Judge(NoSlowerThanOriginal(), variant).Outcome);
        Assert.Equal(CheckOutcome.Pass, Judge(Regression("latency.p50", 0.10) with { Variant = "int8" }, variant).Outcome);
    }

    [Fact]
    public void A_faster_or_unchanged_variant_passes()
    {
        Assert.Equal(CheckOutcome.Pass, Judge(NoSlowerThanOriginal(), Int8(0.6)).Outcome);
        Assert.Equal(CheckOutcome.Pass, Judge(NoSlowerThanOriginal() with { MaxRegression = new Quantity(0.05, UnitDimension.Relative, "5%") }, Int8(1.0)).Outcome);
    }

    [Fact]
    public void The_p90_is_judged_on_its_interval()
    {
        var c = Judge(NoSlowerThanOriginal("latency.p90"), Int8(2.0));
        Assert.Equal(CheckOutcome.Fail, c.Outcome);
        Assert.Contains("p90 +", c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_interleaved_run_with_the_original_the_budget_is_skipped()
    {
        var variant = Variant(Paired(1.0, 0.05, 200, seed: 11), name: "int8");
        var c = Judge(NoSlowerThanOriginal(), variant);
        Assert.Equal(CheckOutcome.Skipped, c.Outcome);
        Assert.Contains("not measured on cpu", c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clear_slowdown_is_an_information_notice_naming_the_ratio_and_both_medians()
    {
        var model = Model() with { Variants = [new VariantConfig("int8", [], new SourceLocation("pipelinegate.yml", 21, 9))] };
        var notice = Assert.Single(SlowerThanOriginal.Notices(model, [Variant(name: "original"), Int8(2.3)]));

        Assert.Equal(PgCode.VariantSlowerThanOriginal, notice.Code);
        Assert.Equal(DiagnosticSeverity.Info, notice.Severity);
        Assert.Equal(21, notice.Line);
        Assert.StartsWith("quantization did not pay here: m/int8 is 2.3", notice.Message, StringComparison.Ordinal);
        Assert.Matches(@"× slower than the original on cpu \(p50 4\.\d+ ms vs [12]\.\d+ ms, median ratio 95% CI 2\.\d+× … 2\.\d+×, sign test over 200 block pairs p < 0\.001; ", notice.Message);
        Assert.Contains("timed interleaved in this run", notice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0)]  // no change
    [InlineData(1.03)] // significant, but inside measure.threshold (5%)
    [InlineData(0.5)]  // faster
    public void Noise_a_small_slowdown_or_a_speed_up_raises_no_notice(double factor)
    {
        Assert.Empty(SlowerThanOriginal.Notices(Model(), [Int8(factor, noise: 0.05, pairs: 300)]));
    }

    [Fact]
    public void A_slowdown_the_samples_cannot_establish_raises_no_notice()
    {
        // 10% slower on average, but with so few, so noisy samples the test cannot tell it from noise.
        Assert.Empty(SlowerThanOriginal.Notices(Model(), [Int8(1.10, noise: 0.5, pairs: 4)]));
    }
}
