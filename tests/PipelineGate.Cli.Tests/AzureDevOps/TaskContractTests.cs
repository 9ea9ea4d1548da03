using System.Text.RegularExpressions;
using PipelineGate.Cli.Commands;
using PipelineGate.Publish;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Cli.Tests.AzureDevOps;

/// <summary>The doors stay in step: task.json inputs = CLI options (= the Action's inputs, where there is one).</summary>
public sealed class TaskContractTests
{
    [Fact]
    public void Every_task_input_but_the_install_ones_is_a_check_option()
    {
        using var task = TaskManifest.Read();
        var check = CheckCommand.Create();
        var options = check.Options.Select(static o => o.Name).ToHashSet(StringComparer.Ordinal);

        var names = TaskManifest.Inputs(task).Select(TaskManifest.Name).ToList();
        var passed = names.Except(TaskManifest.InstallOnly).ToList();

        Assert.Equal(["config", "profile", "baselineRef", "target", "comment", "failOn"], passed);
        Assert.All(passed, n => Assert.Contains("--" + TaskManifest.Kebab(n), options));
        Assert.Equal(TaskManifest.InstallOnly.Order(), names.Intersect(TaskManifest.InstallOnly).Order());
    }

    [Fact]
    public void Pick_lists_and_defaults_are_the_cli_choices()
    {
        using var task = TaskManifest.Read();
        var inputs = TaskManifest.Inputs(task).ToDictionary(TaskManifest.Name);

        Assert.Equal(PublishChoices.CommentModes, TaskManifest.Options(inputs["comment"]));
        Assert.Equal(PublishChoices.FailOnValues, TaskManifest.Options(inputs["failOn"]));
        Assert.Equal(PublishChoices.DefaultComment, TaskManifest.Default(inputs["comment"]));
        Assert.Equal(PublishChoices.DefaultFailOn, TaskManifest.Default(inputs["failOn"]));
        Assert.Equal(["cpu", "gpu"], TaskManifest.Options(inputs["flavour"]));
    }

    [Fact]
    public void Task_json_declares_identity_and_both_node_handlers()
    {
        using var task = TaskManifest.Read();
        var root = task.RootElement;

        Assert.True(Guid.TryParse(root.GetProperty("id").GetString(), out _));
        Assert.Matches("^[A-Za-z0-9-]+$", root.GetProperty("name").GetString()!);
        Assert.Equal(1, root.GetProperty("version").GetProperty("Major").GetInt32());
        Assert.Contains("$(config)", root.GetProperty("instanceNameFormat").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+$", root.GetProperty("minimumAgentVersion").GetString()!);
        var execution = root.GetProperty("execution");
        Assert.Equal(["Node20_1", "Node24"], execution.EnumerateObject().Select(static p => p.Name));
        Assert.All(execution.EnumerateObject(), static p => Assert.Equal("index.js", p.Value.GetProperty("target").GetString()));
    }

    [Fact]
    public void The_handler_passes_each_check_input_as_its_option()
    {
        var handler = File.ReadAllText(Path.Combine(TaskManifest.Folder, "PipelineGateV1", "index.js"));
        using var task = TaskManifest.Read();

        foreach (var name in TaskManifest.Inputs(task).Select(TaskManifest.Name).Except(TaskManifest.InstallOnly))
        {
            Assert.Matches(new Regex($@"{name}\W[^\n]*'--{TaskManifest.Kebab(name)}'|'--{TaskManifest.Kebab(name)}', optional\('{name}'\)"), handler);
        }

        Assert.DoesNotContain("task.complete", handler, StringComparison.Ordinal); // setResult is the one way out
    }

    [Fact]
    public void The_github_action_inputs_are_the_task_inputs_in_kebab_case()
    {
        var action = new[] { "action.yml", ".github/actions/pipelinegate/action.yml", "action/action.yml" }
            .Select(static p => Path.Combine(CliProcess.RepoRoot, p)).FirstOrDefault(File.Exists);
        using var task = TaskManifest.Read();
        var taskInputs = TaskManifest.Inputs(task).Select(TaskManifest.Name).Select(TaskManifest.Kebab).ToHashSet(StringComparer.Ordinal);
        Assert.True(action is not null, "The GitHub Action's action.yml was not found: the task ↔ action contract cannot be checked.");

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(action!)));
        var inputs = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["inputs"];
        var actionInputs = inputs.Children.Keys.Select(static k => ((YamlScalarNode)k).Value!).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(taskInputs.Except(actionInputs).Except(["working-directory", "flavour"])); // the action's own spelling may differ for these two
    }
}
