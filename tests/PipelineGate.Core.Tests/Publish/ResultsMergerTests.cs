using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Results;
using PipelineGate.Publish.Merge;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish;

/// <summary>
/// Shards are cut from one unsharded result the way the runner cuts them (models dealt round-robin,
/// or one target per shard), so a merge that gives back the unsharded verdicts is the contract.
/// </summary>
public sealed class ResultsMergerTests
{
    [Fact]
    public void Two_model_shards_merge_to_the_verdicts_of_one_unsharded_run()
    {
        var whole = TwoModels();
        var shard1 = ByModel(whole, "classifier", "1/2");
        var shard2 = ByModel(whole, "detector", "2/2");

        var merged = ResultsMerger.Merge([("s1.json", shard1), ("s2.json", shard2)]);

        Assert.Equal(whole.Summary, merged.Summary);
        Assert.Equal(Verdicts(whole), Verdicts(merged));
        Assert.Equal(["classifier", "detector"], merged.Models.Select(static m => m.Name));
        Assert.Null(merged.Shard);
    }

    [Fact]
    public void Target_shards_merge_a_skipped_target_with_its_measured_twin_and_size_checks_once()
    {
        var whole = GateResultFixture.Result;
        var cuda = ByTarget(whole, measured: "cuda");
        var cpu = ByTarget(whole, measured: "cpu");

        var merged = ResultsMerger.Merge([("cpu.json", cpu), ("cuda.json", cuda)]);

        Assert.Equal(Verdicts(WithCudaMeasured(whole)), Verdicts(merged));
        Assert.Equal(whole.Checks.Count, merged.Checks.Count); // target-independent checks are not doubled
        var int8 = merged.Models[0].Variants.Single(static v => v.Name == "int8");
        Assert.All(int8.Targets, static t => Assert.Equal("measured", t.Status));
    }

    [Fact]
    public void The_same_target_measured_in_two_shards_is_a_coded_conflict()
    {
        var whole = GateResultFixture.Result;

        var ex = Assert.Throws<PipelineGateException>(() => ResultsMerger.Merge([("a.json", whole), ("b.json", whole)]));

        Assert.Equal(PgCode.ResultsMergeConflict, ex.Code);
        Assert.Contains("classifier × original × cpu was measured in two shards ('a.json' and 'b.json')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shards_of_another_gate_are_refused()
    {
        var whole = GateResultFixture.Result;

        var ex = Assert.Throws<PipelineGateException>(() => ResultsMerger.Merge([("a.json", ByModel(whole, "classifier", "1/2")), ("b.json", whole with { Profile = "release", Models = [], Checks = [] })]));

        Assert.Equal(PgCode.ResultsMergeConflict, ex.Code);
    }

    private static List<(string Id, CheckOutcome Outcome)> Verdicts(GateResult r) =>
        [.. r.Checks.Select(static c => (c.Id, c.Outcome)).OrderBy(static x => x.Id, StringComparer.Ordinal)];

    private static GateResult TwoModels()
    {
        var one = GateResultFixture.Result;
        var detector = one.Models[0] with { Name = "detector", Path = "models/detector.onnx" };
        var checks = one.Checks.Select(static c => c with
        {
            Id = c.Id.Replace("classifier/", "detector/", StringComparison.Ordinal),
            Model = "detector",
            Outcome = c.Outcome == CheckOutcome.Fail ? CheckOutcome.Pass : c.Outcome,
            Code = c.Outcome == CheckOutcome.Fail ? null : c.Code,
        });
        return one with { Models = [.. one.Models, detector], Checks = GateRunner.Order([.. one.Checks, .. checks]) };
    }

    private static GateResult ByModel(GateResult whole, string model, string shard) => whole with
    {
        Models = [.. whole.Models.Where(m => m.Name == model)],
        Checks = [.. whole.Checks.Where(c => c.Model == model)],
        Shard = shard,
    };

    // A shard that measured one target: the other targets are listed as skipped, their checks skipped.
    private static GateResult ByTarget(GateResult whole, string measured)
    {
        var withCuda = WithCudaMeasured(whole);
        return withCuda with
        {
            Models = [.. withCuda.Models.Select(m => m with
            {
                Variants = [.. m.Variants.Select(v => v with
                {
                    Targets = [.. v.Targets.Select(t => t.Target == measured ? t : new TargetResult { Target = t.Target, Status = "skipped", SkipReason = "another shard" })],
                })],
            })],
            Checks = [.. withCuda.Checks.Select(c => c.Target == measured || c.Target == "—" ? c : c with { Outcome = CheckOutcome.Skipped, Code = null, Actual = null })],
        };
    }

    // The fixture skips cuda; here a GPU shard measured it, with the cpu target's numbers standing in.
    private static GateResult WithCudaMeasured(GateResult whole) => whole with
    {
        Models = [.. whole.Models.Select(static m => m with
        {
            Variants = [.. m.Variants.Select(static v => v with
            {
                Targets = [.. v.Targets.Select(t => t.Target == "cuda" ? v.Targets.Single(static x => x.Target == "cpu") with { Target = "cuda" } : t)],
            })],
        })],
        Checks = [.. whole.Checks.Select(static c => c.Target == "cuda" ? c with { Outcome = CheckOutcome.Pass, Actual = 5.0, Reference = 5.0 } : c)],
    };
}
