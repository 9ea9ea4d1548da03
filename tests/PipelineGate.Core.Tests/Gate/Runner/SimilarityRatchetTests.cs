using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Text;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// The release ratchet on a model with labelled pairs: besides size, parameters and latency it holds
/// <c>similarity.spearman</c> at "never worse than the stored release results" (0 pp, judged exactly against stored
/// results). Real MiniLM, the 36 word-overlap pairs of TestData/pairs; the pairs' scores reversed (1 − score) turn ρ
/// into −ρ exactly, a certain regression.
/// </summary>
public sealed class SimilarityRatchetTests : IDisposable
{
    private readonly MiniLmPairsWorkspace _w = new("pg-similarity-ratchet-");

    public void Dispose() => _w.Dispose();

    [Fact]
    public void The_release_ratchet_holds_rho_exactly_and_fails_a_lower_one_with_PG4401()
    {
        var pairs = _w.PairsPath;
        _w.WritePairsOnlyConfig("""
            profiles:
              release:
                ratchet: true
                ratchet-results: release-results.json
            """);

        var first = Run();
        Assert.DoesNotContain(first.Checks, static c => c.Metric == "similarity.spearman");
        File.WriteAllText(Path.Combine(_w.Root, "release-results.json"), System.Text.Json.JsonSerializer.Serialize(first, JsonForTests.Options));
        var stored = first.Models.Single().Variants[0].Similarity!.Value;

        var same = Assert.Single(Run().Checks, static c => c.Metric == "similarity.spearman");
        Assert.EndsWith("(release ratchet)", same.BudgetText, StringComparison.Ordinal);
        Assert.Equal(BudgetKind.Regression, same.Kind);
        Assert.Equal(CheckOutcome.Pass, same.Outcome);
        Assert.Equal(0.0, same.Delta);

        File.WriteAllLines(pairs, ["s1,s2,score", .. SentencePairs.Read(pairs).Select(static p =>
            $"{Quote(p.First)},{Quote(p.Second)},{(1 - p.Score).ToString("R", CultureInfo.InvariantCulture)}")]);
        var r = Run();
        var worse = Assert.Single(r.Checks, static c => c.Metric == "similarity.spearman");
        Assert.Equal(-stored, r.Models.Single().Variants[0].Similarity!.Value, 12);
        Assert.Equal(CheckOutcome.Fail, worse.Outcome);
        Assert.Equal(PgCode.RatchetRegression, worse.Code);
    }

    private GateResult Run() =>
        GateRunner.Run(ConfigLoader.Load(_w.ConfigPath), new GateRunOptions { WorkDirectory = _w.WorkDirectory, ToolVersion = "test", Profile = "release" });

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
