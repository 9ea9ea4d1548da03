using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Publish.Merge;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// Real gate runs, not results cut by hand: the sample as two models run unsharded, as two model shards
/// (--shard 1/2, 2/2) and as two target shards (--target cpu, --target cuda, cuda not loadable here), each
/// pair merged. Budgets are deterministic (size, accuracy, the paired drop) so the verdicts must match
/// exactly; the one latency budget (1 s on a model that runs in microseconds, and skipped on cuda) cannot
/// flip between runs.
/// </summary>
public sealed class ShardedRunMergeTests : IDisposable
{
    private readonly SampleWorkspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Model_and_target_shards_merge_to_the_verdicts_of_one_unsharded_run()
    {
        const string Model = """
                variants:
                  - name: int8
                    steps: [ { quantize: { mode: dynamic } } ]
                targets: [cpu, { name: cuda, required: false }]
                budgets:
                  - { metric: file-size, max: 20 KB }
                  - { metric: accuracy, min: 95% }
                  - { metric: accuracy, variant: int8, max-drop: 1 pp }
                  - { metric: latency.p50, max: 1 s }
            """;
        _w.WriteConfig(Model + "\n" + """
              - path: digits/digits_mlp.onnx
                name: digits-copy
                data: { path: digits/eval, labels: labels }
                budgets:
                  - { metric: parameters, max: 6000 }
            """);

        var whole = Run(null, null);
        var byModel = ResultsMerger.Merge([("s1.json", Run((1, 2), null)), ("s2.json", Run((2, 2), null))]);
        var byTarget = ResultsMerger.Merge([("cpu.json", Run(null, "cpu")), ("gpu.json", Run(null, "cuda"))]);

        Assert.Equal(CheckOutcome.Fail, whole.Summary.Outcome); // original over 20 KB, the copy over 6,000 parameters
        Assert.Equal(Verdicts(whole), Verdicts(byModel));
        Assert.Equal(whole.Summary, byModel.Summary);
        Assert.Equal(Verdicts(whole), Verdicts(byTarget));
        Assert.Equal(whole.Summary, byTarget.Summary);
    }

    private GateResult Run((int, int)? shard, string? target) =>
        GateRunner.Run(TargetShard.Apply(ConfigLoader.Load(_w.ConfigPath), target), new GateRunOptions
        {
            WorkDirectory = Path.Combine(_w.Root, ".work-" + Guid.NewGuid().ToString("N")),
            ToolVersion = "test",
            Shard = shard,
        });

    private static string[] Verdicts(GateResult r) =>
        [.. r.Checks.Select(static c => $"{c.Id} {c.Outcome} {c.Code}").Order(StringComparer.Ordinal)];
}
