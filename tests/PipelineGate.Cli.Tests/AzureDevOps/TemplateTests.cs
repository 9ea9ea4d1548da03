using YamlDotNet.RepresentationModel;
using Xunit;

namespace PipelineGate.Cli.Tests.AzureDevOps;

/// <summary>templates/azure-pipelines: valid YAML, parameters that are the task's inputs, the token mapped, one merge that publishes.</summary>
public sealed class TemplateTests
{
    private static string Folder => Path.Combine(CliProcess.RepoRoot, "templates", "azure-pipelines");

    [Theory]
    [InlineData("steps.yml")]
    [InlineData("jobs.yml")]
    [InlineData("gate-job.yml")]
    public void Is_valid_yaml_with_parameters(string file)
    {
        var root = Load(file);

        Assert.NotEmpty(Parameters(root));
        Assert.True(root.Children.ContainsKey("steps") || root.Children.ContainsKey("jobs"));
    }

    [Fact]
    public void Steps_parameters_are_exactly_the_task_inputs_with_their_defaults_and_choices()
    {
        using var task = TaskManifest.Read();
        var inputs = TaskManifest.Inputs(task);
        var parameters = Parameters(Load("steps.yml"));

        Assert.Equal(inputs.Select(TaskManifest.Name), parameters.Select(static p => Scalar(p, "name")));
        foreach (var input in inputs)
        {
            var p = parameters.Single(x => Scalar(x, "name") == TaskManifest.Name(input));
            Assert.Equal(TaskManifest.Default(input), Scalar(p, "default"));
            Assert.Equal(TaskManifest.Options(input), p.Children.TryGetValue("values", out var v) ? ((YamlSequenceNode)v).Select(static n => ((YamlScalarNode)n).Value!) : []);
        }
    }

    [Fact]
    public void Jobs_parameters_are_the_task_inputs_but_target_and_flavour_plus_pools_and_shards()
    {
        using var task = TaskManifest.Read();
        var expected = TaskManifest.Inputs(task).Select(TaskManifest.Name).Except(["target", "flavour"]).Concat(["cpuPool", "gpuPool", "shards"]);

        Assert.Equal(expected, Parameters(Load("jobs.yml")).Select(static p => Scalar(p, "name")));
    }

    [Fact]
    public void Token_is_mapped_where_pipelinegate_publishes_and_the_merge_job_publishes_once()
    {
        var steps = File.ReadAllText(Path.Combine(Folder, "steps.yml"));
        var jobs = File.ReadAllText(Path.Combine(Folder, "jobs.yml"));
        var gate = File.ReadAllText(Path.Combine(Folder, "gate-job.yml"));

        Assert.Contains("SYSTEM_ACCESSTOKEN: $(System.AccessToken)", steps, StringComparison.Ordinal);
        Assert.Contains("check --publish azure-devops", steps, StringComparison.Ordinal);
        Assert.Contains("--publish none", gate, StringComparison.Ordinal); // shards publish nothing
        Assert.Contains("--shard \"$(System.JobPositionInPhase)/$(System.TotalJobsInPhase)\"", gate, StringComparison.Ordinal);
        var merge = jobs[jobs.IndexOf("- job: pipelinegate_merge", StringComparison.Ordinal)..];
        Assert.True(merge.IndexOf("\" merge ", StringComparison.Ordinal) is > 0 and var m && merge.IndexOf("publish --results", StringComparison.Ordinal) > m);
        Assert.Contains("--publish azure-devops", merge, StringComparison.Ordinal);
        Assert.Contains("SYSTEM_ACCESSTOKEN: $(System.AccessToken)", merge, StringComparison.Ordinal);
        Assert.Contains("target: cuda", jobs, StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, file))));
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static List<YamlMappingNode> Parameters(YamlMappingNode root) =>
        [.. ((YamlSequenceNode)root["parameters"]).Cast<YamlMappingNode>()];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var v) && v is YamlScalarNode s ? s.Value : null;
}
