using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Publish.Merge;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Publish;

public sealed class TargetShardTests
{
    private static GateConfig Sample() => ConfigLoader.Load(RepoPaths.Of("samples/pipelinegate.yml"));

    [Fact]
    public void Keeps_the_named_target_and_leaves_the_config_alone_without_one()
    {
        var config = Sample();

        Assert.Same(config, TargetShard.Apply(config, null));
        Assert.All(TargetShard.Apply(config, "cpu").Models, static m => Assert.Equal(["cpu"], m.Targets.Select(static t => t.Name)));
        Assert.All(TargetShard.Apply(config, "CPU").Models, static m => Assert.Single(m.Targets)); // by provider too
    }

    [Fact]
    public void A_target_the_config_does_not_declare_is_a_coded_error_listing_the_known_ones()
    {
        var ex = Assert.Throws<PipelineGateException>(() => TargetShard.Apply(Sample(), "cuda"));

        Assert.Equal(PgCode.ConfigUnknownTarget, ex.Code);
        Assert.Contains("(it has: cpu)", ex.Message, StringComparison.Ordinal);
    }
}
