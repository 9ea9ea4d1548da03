using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary><c>vs: original</c> budgets: what loads, and every misuse with its code at the node it is about.</summary>
public sealed class VsOriginalConfigTests : IDisposable
{
    // The budget under test goes on line 10; its '{' is at column 9. Errors about 'vs' point at its value.
    private const string Header = """
        version: 1
        models:
          - path: m.onnx
            data: { path: eval, labels: labels }
            targets: [cpu]
            variants:
              - name: int8
                steps: [ { quantize: { mode: dynamic } } ]
            budgets:

        """;

    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Budget(string budget) => Header + "      - " + budget + "\n";

    [Theory]
    [InlineData("latency.p50")]
    [InlineData("latency.mean")]
    [InlineData("latency.p90")]
    public void A_latency_regression_of_a_variant_vs_the_original_loads(string metric)
    {
        var b = Assert.Single(_dir.Load(Budget($"{{ metric: {metric}, variant: int8, vs: original, max-regression: 0% }}")).Models[0].Budgets);
        Assert.True(b.VsOriginal);
        Assert.Equal(BudgetKind.RegressionFromOriginal, b.Kind);
        Assert.Equal(0, b.MaxRegression!.Value.Value);
    }

    [Fact]
    public void Vs_base_is_the_default_written_out()
    {
        var b = Assert.Single(_dir.Load(Budget("{ metric: latency.p50, vs: base, max-regression: 5% }")).Models[0].Budgets);
        Assert.False(b.VsOriginal);
        Assert.Equal(BudgetKind.Regression, b.Kind);
    }

    [Fact]
    public void A_regression_vs_base_and_one_vs_original_on_the_same_variant_are_not_duplicates()
    {
        var yaml = Budget("{ metric: latency.p50, variant: int8, max-regression: 5% }") + "      - { metric: latency.p50, variant: int8, vs: original, max-regression: 0% }\n";
        Assert.Equal(2, _dir.Load(yaml).Models[0].Budgets.Count);
    }

    [Fact]
    public void PG1019_an_unknown_comparand_suggests_the_closest()
    {
        var d = _dir.Error(Budget("{ metric: latency.p50, variant: int8, vs: orignal, max-regression: 0% }"), PgCode.ConfigUnknownComparison, 10, 51);
        Assert.Contains("'vs: orignal' is not something a budget can compare with. Did you mean 'original'?", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ metric: latency.p50, vs: original, max-regression: 0% }", 36, "the budget must name that variant")]
    [InlineData("{ metric: latency.p50, variant: original, vs: original, max-regression: 0% }", 41, "cannot apply to 'original' itself")]
    [InlineData("{ metric: latency.p50, variant: int8, vs: original, max: 2 ms }", 51, "applies to 'max-regression', but this budget has 'max'")]
    [InlineData("{ metric: file-size, variant: int8, vs: original, max-regression: 0 }", 49, "file-size is not one of latency.p50, latency.mean, latency.p90")]
    [InlineData("{ metric: accuracy, variant: int8, vs: original, max-regression: 1 pp }", 48, "accuracy is not one of")]
    public void PG1020_vs_original_where_that_comparison_does_not_exist(string budget, int column, string message)
    {
        var d = _dir.Error(Budget(budget), PgCode.ConfigComparisonNotApplicable, 10, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }
}
