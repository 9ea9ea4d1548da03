using Xunit;

namespace PipelineGate.Cli.Tests.AzureDevOps;

/// <summary>The publishing options and verbs as users type them: refusals are coded and exit 2.</summary>
public sealed class PublishCliTests
{
    [Fact]
    public void Publish_mode_outside_the_choices_is_a_usage_error()
    {
        var r = CliProcess.Run(CliProcess.RepoRoot, "check", "--publish", "azure", "--config", CliProcess.Sample("pipelinegate.yml"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG1", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("azure-devops", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_that_no_model_has_is_refused_before_measuring()
    {
        var r = CliProcess.Run(CliProcess.RepoRoot, "check", "--target", "npu", "--config", CliProcess.Sample("pipelinegate.yml"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG1007", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("--target 'npu' matches no target", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_of_a_missing_results_file_is_PG5101()
    {
        var r = CliProcess.Run(CliProcess.RepoRoot, "publish", "--results", "no/such/results.json", "--publish", "azure-devops");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error PG5101: Results file 'no/such/results.json' does not exist.", r.StdErr, StringComparison.Ordinal);
    }
}
