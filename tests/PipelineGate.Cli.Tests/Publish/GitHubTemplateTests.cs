using Xunit;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// The reusable matrix workflow (templates/github/pipelinegate-matrix.yml): CPU shard jobs by model on the
/// cpu target, an optional GPU job on a runner label given as an input, and one merge job after both.
/// </summary>
public sealed class GitHubTemplateTests
{
    [Fact]
    public void Matrix_runs_cpu_shards_an_optional_gpu_job_on_a_given_label_and_one_merge()
    {
        var root = Load();
        var inputs = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root["on"])["workflow_call"])["inputs"];
        Assert.Equal("", ((YamlMappingNode)inputs["gpu-runs-on"])["default"].ToString());
        Assert.Equal("ubuntu-latest", ((YamlMappingNode)inputs["cpu-runs-on"])["default"].ToString());

        var jobs = (YamlMappingNode)root["jobs"];
        var shard = (YamlMappingNode)jobs["shard"];
        var gpu = (YamlMappingNode)jobs["gpu"];
        var merge = (YamlMappingNode)jobs["merge"];
        Assert.Equal("${{ inputs.cpu-runs-on }}", shard["runs-on"].ToString());
        Assert.Equal("${{ inputs.gpu-runs-on }}", gpu["runs-on"].ToString());
        Assert.Equal("inputs.gpu-runs-on != ''", gpu["if"].ToString());
        Assert.Contains("check --profile \"$PG_PROFILE\" --target cpu --shard \"$PG_SHARD\" --fail-on never", Runs(shard), StringComparison.Ordinal);
        Assert.Contains("tool install PipelineGate.Tool.Gpu ", Runs(gpu), StringComparison.Ordinal);
        Assert.Contains("check --profile \"$PG_PROFILE\" --target cuda --fail-on never", Runs(gpu), StringComparison.Ordinal);

        // Both kinds of shard upload under the pattern the merge job downloads, and the merge waits for both.
        Assert.Equal(["gpu", "shard"], ((YamlSequenceNode)merge["needs"]).Select(static n => n.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("always()", merge["if"].ToString());
        Assert.Contains("pipelinegate-shard-gpu", Artifacts(gpu));
        Assert.Contains("pipelinegate-shard-${{ matrix.shard }}", Artifacts(shard));
        Assert.Contains("merge \"$RUNNER_TEMP\"/shards/pipelinegate-shard-*/results.json", Runs(merge), StringComparison.Ordinal);
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>();

    private static string Runs(YamlMappingNode job) =>
        string.Join("\n", Steps(job).Where(static s => s.Children.ContainsKey("run")).Select(static s => s["run"].ToString()));

    private static string[] Artifacts(YamlMappingNode job) =>
        [.. Steps(job).Where(static s => s.Children.TryGetValue("uses", out var u) && u.ToString().StartsWith("actions/upload-artifact@", StringComparison.Ordinal))
            .Select(static s => ((YamlMappingNode)s["with"])["name"].ToString())];

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "templates", "github", "pipelinegate-matrix.yml")));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
