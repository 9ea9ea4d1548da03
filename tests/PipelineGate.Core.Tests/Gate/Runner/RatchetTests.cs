using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

public sealed class RatchetTests : IDisposable
{
    private readonly SampleWorkspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void A_release_ratchet_fails_anything_worse_than_the_stored_release_results()
    {
        const string profiles = "profiles:\n  release:\n    ratchet: true\n    ratchet-results: release-results.json";
        _w.WriteConfig("    budgets:\n      - { metric: file-size, max: 100 KB }\n", topLevel: profiles);

        var first = _w.Run(profile: "release");
        Assert.Contains(first.Notices, static n => n.Code == PgCode.BaselineUnavailable && n.Message.Contains("nothing to ratchet against", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_w.Root, "release-results.json"), System.Text.Json.JsonSerializer.Serialize(first, JsonForTests.Options));
        GateRunnerTests.GrowModel(_w.ModelPath);

        var r = _w.Run(profile: "release");

        var ratchet = r.Checks.Where(static c => c.BudgetText.EndsWith("(release ratchet)", StringComparison.Ordinal)).ToArray();
        Assert.Contains(ratchet, static c => c.Metric == "file-size" && c.Outcome == CheckOutcome.Fail && c.Code == PgCode.RatchetRegression);
        Assert.Contains(ratchet, static c => c.Metric == "parameters" && c.Outcome == CheckOutcome.Fail);
        Assert.Contains(ratchet, static c => c.Metric == "accuracy" && c.Outcome == CheckOutcome.Pass);
        Assert.Equal(CheckOutcome.Pass, r.Checks.Single(static c => c.Metric == "file-size" && c.Kind == BudgetKind.Absolute).Outcome);
    }
}
