using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Report;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// One real gate run on all-MiniLM-L6-v2 (fp32 original + dynamic int8) with <c>data: { text, pairs, tokenizer }</c>:
/// the 50 sentences of the text-encoder sample and the 36 word-overlap pairs of TestData/pairs (scores by a stated
/// rule, not human judgments). Shared by the tests below, which assert what the run produced.
/// </summary>
public sealed class SimilarityGateFixture : IDisposable
{
    public SimilarityGateFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "pg-similarity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        PairsPath = RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/pairs/prefix-pairs.csv");
        ConfigPath = Path.Combine(Root, "pipelinegate.yml");
        File.WriteAllText(ConfigPath, $"""
            version: 1
            {SampleWorkspace.FastMeasure}
            models:
              - path: '{RealEncoder.MiniLmModel}'
                name: minilm
                data: {"{"} text: '{RepoPaths.Of("samples/text-encoder/sentences.txt")}', pairs: '{PairsPath}', tokenizer: '{RealEncoder.MiniLmVocab}', max-length: 128 {"}"}
                targets: [cpu]
                variants:
                  - name: int8
                    steps: [ {"{"} quantize: {"{"} mode: dynamic {"}"} {"}"} ]
                budgets:
                  - {"{"} metric: similarity.spearman, min: 0.50 {"}"}
                  - {"{"} metric: similarity.spearman, variant: int8, min: 0.99 {"}"}
                  - {"{"} metric: similarity.spearman, variant: int8, max-drop: 20 pp {"}"}
                  - {"{"} metric: similarity.spearman, variant: int8, max-regression: 1 pp {"}"}
            """);
        Result = GateRunner.Run(ConfigLoader.Load(ConfigPath), new GateRunOptions { WorkDirectory = Path.Combine(Root, ".work"), ToolVersion = "test" });
    }

    public string Root { get; }

    public string ConfigPath { get; }

    public string PairsPath { get; }

    public GateResult Result { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class SimilarityGateTests(SimilarityGateFixture f) : IClassFixture<SimilarityGateFixture>
{
    private VariantResult Original => f.Result.Models.Single().Variants[0];

    private VariantResult Int8 => f.Result.Models.Single().Variants[1];

    private CheckResult Check(string variant, BudgetKind kind, double? limit = null) =>
        Assert.Single(f.Result.Checks, c => c.Metric == "similarity.spearman" && c.Variant == variant && c.Kind == kind && (limit is null || c.BudgetText.Contains(limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

    [Fact]
    public void Every_variant_gets_rho_on_all_pairs_with_an_interval_that_contains_it()
    {
        foreach (var v in new[] { Original, Int8 })
        {
            var s = Assert.IsType<AccuracyResult>(v.Similarity);
            Assert.Equal("similarity.spearman", s.Metric);
            Assert.Equal(36, s.Samples);
            Assert.InRange(s.Value, 0.5, 1.0);
            Assert.True(s.Lower <= s.Value && s.Value <= s.Upper, $"{v.Name}: {s.Lower} … {s.Upper} around {s.Value}");
            Assert.True(s.Upper - s.Lower > 0, "36 pairs cannot pin ρ down to a point");
        }

        Assert.Null(Original.Similarity!.ChangeFromOriginal);
        var change = Assert.IsType<PairedChange>(Int8.Similarity!.ChangeFromOriginal);
        Assert.Equal(Int8.Similarity.Value - Original.Similarity.Value, change.Difference, 12);
        Assert.True(change.Lower <= change.Difference && change.Difference <= change.Upper, $"{change.Lower} … {change.Upper} around {change.Difference}");
        Assert.Null(change.PValue);
        Assert.Equal("paired bootstrap", change.Test);
    }

    [Fact]
    public void A_met_min_passes_and_an_unmet_min_fails_with_PG4301_and_its_interval()
    {
        var pass = f.Result.Checks.Where(c => c.Metric == "similarity.spearman" && c.Kind == BudgetKind.Absolute && c.BudgetText.Contains("0.5", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, pass.Length); // original and int8
        Assert.All(pass, static c => Assert.Equal(CheckOutcome.Pass, c.Outcome));

        var fail = Check("int8", BudgetKind.Absolute, 0.99);
        Assert.Equal(CheckOutcome.Fail, fail.Outcome);
        Assert.Equal(PgCode.AccuracyUnderBudget, fail.Code);
        Assert.Equal(Int8.Similarity!.Value, fail.Actual);
        Assert.StartsWith($"similarity.spearman of int8 is {Int8.Similarity.Value:0.####} (95% CI ", fail.Message, StringComparison.Ordinal);
        Assert.Contains("on 36 pairs, under budget; budget ≥ 0.99.", fail.Message, StringComparison.Ordinal);
        Assert.Equal(Int8.Similarity.Upper, fail.DeltaUpper);
        Assert.Equal(CheckOutcome.Fail, f.Result.Summary.Outcome);
    }

    [Fact]
    public void The_drop_from_the_original_is_judged_by_the_paired_interval()
    {
        var drop = Check("int8", BudgetKind.DropFromOriginal);
        var change = Int8.Similarity!.ChangeFromOriginal!;
        Assert.Equal(CheckOutcome.Pass, drop.Outcome);
        Assert.Equal(change.Difference, drop.Delta!.Value, 12);
        Assert.Equal(change.Lower, drop.DeltaLower);
        Assert.Equal(change.Upper, drop.DeltaUpper);
        Assert.Contains(", paired bootstrap)", drop.Message, StringComparison.Ordinal);
        var md = MarkdownReport.Render(f.Result, ReportOptions.Default);
        Assert.Contains($"| similarity spearman (int8 vs original) | {ReportFormat.Fraction(Original.Similarity!.Value)} | {ReportFormat.Fraction(Int8.Similarity.Value)} | ", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_baseline_a_regression_budget_is_not_judged()
    {
        var regression = Check("int8", BudgetKind.Regression);
        Assert.NotEqual(CheckOutcome.Fail, regression.Outcome);
        Assert.Null(Int8.BaselineSimilarity);
    }

    [Fact]
    public void Results_json_round_trips_the_similarity()
    {
        var back = ResultsFile.Parse(ResultsFile.Serialize(f.Result), "results.json");

        var variants = back.Models.Single().Variants;
        Assert.Equal(Original.Similarity, variants[0].Similarity);
        Assert.Equal(Int8.Similarity, variants[1].Similarity);
        Assert.Contains("\"similarity\": {", ResultsFile.Serialize(f.Result), StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_results_as_the_baseline_give_a_zero_regression_for_the_same_model_and_pairs()
    {
        var stored = Path.Combine(f.Root, "baseline.json");
        File.WriteAllText(stored, ResultsFile.Serialize(f.Result));

        var again = GateRunner.Run(ConfigLoader.Load(f.ConfigPath), new GateRunOptions { WorkDirectory = Path.Combine(f.Root, ".work2"), ToolVersion = "test", BaselineResults = stored });

        var int8 = again.Models.Single().Variants[1];
        Assert.Equal(Int8.Similarity!.Value, int8.BaselineSimilarity!.Value); // same model, same pairs: the same ρ
        Assert.Equal(Int8.Similarity.Value, int8.Similarity!.Value);
        var regression = Assert.Single(again.Checks, static c => c.Metric == "similarity.spearman" && c.Variant == "int8" && c.Kind == BudgetKind.Regression);
        Assert.Equal(CheckOutcome.Pass, regression.Outcome);
        Assert.Equal(0, regression.Delta);
        Assert.Equal(Int8.Similarity.Value, regression.Reference);
    }

    [Fact]
    public void Every_report_shows_rho_of_each_variant()
    {
        var o = ReportOptions.Default;
        var rho = ReportFormat.Fraction(Int8.Similarity!.Value);
        var md = MarkdownReport.Render(f.Result, o);
        Assert.Contains("Spearman ρ (pairs)", md, StringComparison.Ordinal);
        Assert.Contains($"{rho} (n = 36 pairs; {ReportFormat.SignedPp(Int8.Similarity.ChangeFromOriginal!.Difference)} vs original, 95% CI ", md, StringComparison.Ordinal);
        Assert.Contains("Spearman ρ (pairs)", HtmlReport.Render(f.Result, o), StringComparison.Ordinal);
        Assert.Contains("Spearman ρ (pairs)", ConsoleReport.Render(f.Result, o, width: 400), StringComparison.Ordinal);
        Assert.Contains("similarity.spearman of int8 is", JUnitReport.Render(f.Result, o), StringComparison.Ordinal);
    }
}
