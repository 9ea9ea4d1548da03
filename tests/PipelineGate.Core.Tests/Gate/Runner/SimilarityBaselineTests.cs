using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// similarity.spearman against a base branch measured in the same run (<c>--baseline-ref</c>): the real MiniLM committed
/// in a temporary git repository, unchanged in the working tree, so the baseline's variants are the same models and
/// their paired change of ρ on the same pairs is exactly zero.
/// </summary>
public sealed class SimilarityBaselineTests : IDisposable
{
    private readonly MiniLmPairsWorkspace _w = new("pg-similarity-base-");

    public void Dispose() => _w.Dispose();

    [Fact]
    public void An_unchanged_model_against_the_base_ref_has_a_zero_paired_change_and_passes_its_regression_budget()
    {
        _w.WritePairsOnlyConfig("""
                variants:
                  - name: int8
                    steps: [ { quantize: { mode: dynamic } } ]
                budgets:
                  - { metric: similarity.spearman, max-regression: 0 pp }
            """);
        _w.Git("init", "-q", "-b", "main");
        _w.Git("add", "-A");
        _w.Git("commit", "-q", "-m", "base");

        var r = GateRunner.Run(ConfigLoader.Load(_w.ConfigPath), new GateRunOptions { WorkDirectory = _w.WorkDirectory, ToolVersion = "test", BaselineRef = "main" });

        foreach (var v in r.Models.Single().Variants)
        {
            // Pairs alone: timed with a tokenized pair sentence (random token ids would index past the embedding tables).
            Assert.Equal("measured", v.Targets.Single().Status);
            Assert.NotNull(v.Targets.Single().Latency);

            var change = Assert.IsType<PairedChange>(v.Similarity!.ChangeFromBaseline);
            Assert.Equal(v.Similarity.Value, v.BaselineSimilarity!.Value);
            Assert.Equal(0.0, change.Difference);
            Assert.Equal(0.0, change.Lower);
            Assert.Equal(0.0, change.Upper);
            Assert.Equal("paired bootstrap", change.Test);
        }

        var checks = r.Checks.Where(static c => c.Metric == "similarity.spearman").ToArray();
        Assert.Equal(2, checks.Length);
        Assert.All(checks, static c =>
        {
            Assert.Equal(BudgetKind.Regression, c.Kind);
            Assert.Equal(CheckOutcome.Pass, c.Outcome);
            Assert.Equal(0.0, c.DeltaLower);
            Assert.Equal(0.0, c.DeltaUpper);
        });
    }
}
