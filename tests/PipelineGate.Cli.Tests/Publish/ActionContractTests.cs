using System.CommandLine;
using PipelineGate.Cli.Commands;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>The Action is a thin door: every input is a check option of the same name and default.</summary>
public sealed class ActionContractTests
{
    private static readonly string[] NotCheckOptions = ["github-token", "version", "flavour", "feed", "working-directory"];

    [Fact]
    public void Every_input_is_a_check_option_with_the_same_default()
    {
        var inputs = Inputs();
        var check = CheckCommand.Create();
        var parsed = check.Parse([]);
        var problems = new List<string>();
        foreach (var (name, actionDefault) in inputs.Where(static i => !NotCheckOptions.Contains(i.Key)))
        {
            var option = check.Options.FirstOrDefault(o => o.Name == "--" + name);
            if (option is null)
            {
                problems.Add($"input '{name}' has no check option --{name}");
                continue;
            }

            var cliDefault = parsed.GetValue<string?>("--" + name) ?? "";
            if (cliDefault != actionDefault)
            {
                problems.Add($"input '{name}' defaults to '{actionDefault}', check --{name} to '{cliDefault}'");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(["baseline-ref", "comment", "config", "fail-on", "profile", "target"], inputs.Keys.Except(NotCheckOptions).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Is_composite_with_shells_and_the_documented_outputs()
    {
        var root = Load();
        var runs = (YamlMappingNode)root["runs"];
        Assert.Equal("composite", runs["using"].ToString());
        foreach (var step in ((YamlSequenceNode)runs["steps"]).Cast<YamlMappingNode>())
        {
            if (step.Children.ContainsKey("run"))
            {
                Assert.Equal("bash", step["shell"].ToString());
                Assert.DoesNotContain("${{ inputs.", step["run"].ToString(), StringComparison.Ordinal); // inputs go through env
            }
        }

        var outputs = ((YamlMappingNode)root["outputs"]).Children.Keys.Select(static k => k.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(["failed", "report-dir", "result"], outputs);
        Assert.Contains("check --publish github", Load().ToString() is var _ ? File.ReadAllText(ActionPath) : "", StringComparison.Ordinal);
    }

    [Fact]
    public void Installs_by_default_the_tool_version_this_tree_builds()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(CliProcess.RepoRoot, "Directory.Build.props"));
        var version = props.Descendants("PipelineGateVersion").Single().Value;

        Assert.Equal(version, Inputs()["version"]);
    }

    [Fact]
    public void This_repositorys_CI_runs_the_action_on_the_sample_from_a_packed_feed()
    {
        var ci = File.ReadAllText(Path.Combine(CliProcess.RepoRoot, ".github", "workflows", "ci.yml"));

        Assert.Contains("uses: ./.github/actions/pipelinegate", ci, StringComparison.Ordinal);
        Assert.Contains("working-directory: samples", ci, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/PipelineGate.Cli", ci, StringComparison.Ordinal);
    }

    private static string ActionPath => Path.Combine(CliProcess.RepoRoot, ".github", "actions", "pipelinegate", "action.yml");

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(ActionPath));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static Dictionary<string, string> Inputs() =>
        ((YamlMappingNode)Load()["inputs"]).Children.ToDictionary(
            static kv => kv.Key.ToString(),
            static kv => ((YamlMappingNode)kv.Value).Children.TryGetValue("default", out var d) ? d.ToString() : "");
}
