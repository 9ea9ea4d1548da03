using System.Text.Json;
using Xunit;

namespace PipelineGate.MSBuild.Tests;

/// <summary>Real `dotnet build`s of a consumer project that references the packed PipelineGate.MSBuild.</summary>
[Collection(UsesPackage.Name)]
public sealed class GateBuildTests(PackageFixture package)
{
    private const string SkipMessage = "PipelineGate: inputs unchanged, gate skipped";

    [Fact]
    public void Loose_budgets_pass_and_write_results()
    {
        var consumer = new ConsumerProject(package, "loose", GateConfigs.Loose);

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(consumer.ResultsPath), build.ToString());
        using var results = JsonDocument.Parse(File.ReadAllText(consumer.ResultsPath));
        Assert.Equal("pipelinegate/results/v1", results.RootElement.GetProperty("schema").GetString());
        Assert.All(results.RootElement.GetProperty("checks").EnumerateArray(), c => Assert.Equal("pass", c.GetProperty("outcome").GetString()));
        Assert.DoesNotContain(SkipMessage, build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_budget_fails_the_build_with_a_coded_error_at_the_budget()
    {
        var consumer = new ConsumerProject(package, "tight", GateConfigs.Tight);
        var (line, column) = consumer.Locate("metric: file-size");

        var build = consumer.Build();

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains($"pipelinegate.yml({line},{column}): error PG4201:", build.Output, StringComparison.Ordinal);
        Assert.Contains("digits/original: file-size is 27,775 B", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchanged_gate_is_skipped_and_its_results_are_left_alone()
    {
        var consumer = new ConsumerProject(package, "unchanged", GateConfigs.Loose);
        var first = consumer.Build();
        Assert.True(first.ExitCode == 0, first.ToString());
        var bytes = File.ReadAllBytes(consumer.ResultsPath);
        var written = File.GetLastWriteTimeUtc(consumer.ResultsPath);

        var second = consumer.Build();

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains(SkipMessage, second.Output, StringComparison.Ordinal);
        Assert.Equal(written, File.GetLastWriteTimeUtc(consumer.ResultsPath));
        Assert.Equal(bytes, File.ReadAllBytes(consumer.ResultsPath));
    }

    [Fact]
    public void A_changed_model_runs_the_gate_again()
    {
        var consumer = new ConsumerProject(package, "changed-model", GateConfigs.Loose);
        var first = consumer.Build();
        Assert.True(first.ExitCode == 0, first.ToString());
        var bytes = File.ReadAllBytes(consumer.ResultsPath);

        consumer.EditModelDocString("edited by a test");
        var second = consumer.Build();

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain(SkipMessage, second.Output, StringComparison.Ordinal);
        Assert.NotEqual(bytes, File.ReadAllBytes(consumer.ResultsPath));

        // And the run it made was stamped: the build after it skips again.
        Assert.Contains(SkipMessage, consumer.Build().Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_gate_runs_nothing()
    {
        var consumer = new ConsumerProject(package, "disabled", GateConfigs.Tight);

        var build = consumer.Build("-p:PipelineGateEnabled=false");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.False(Directory.Exists(Path.GetDirectoryName(consumer.ResultsPath)), build.ToString());
        Assert.DoesNotContain("PG4201", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PipelineGate", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_error_becomes_a_located_build_error()
    {
        var consumer = new ConsumerProject(package, "config-error", GateConfigs.UnknownKey);
        var (line, _) = consumer.Locate("colour:");

        var build = consumer.Build();

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains($"pipelinegate.yml({line},5): error PG1003:", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MSB6006", build.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(consumer.ResultsPath));
    }

    [Fact]
    public void Warn_only_failures_are_warnings_that_NoWarn_and_WarningsAsErrors_control()
    {
        var consumer = new ConsumerProject(package, "warn-only", GateConfigs.Tight);

        var warned = consumer.Build("-p:PipelineGateWarnOnly=true");
        Assert.True(warned.ExitCode == 0, warned.ToString());
        Assert.Contains("): warning PG4201:", warned.Output, StringComparison.Ordinal);

        // A warning is not a clean pass: nothing was stamped, so the gate runs (and reports) again.
        var elevated = consumer.Build("-p:PipelineGateWarnOnly=true", "-p:WarningsAsErrors=PG4201");
        Assert.True(elevated.ExitCode != 0, elevated.ToString());
        Assert.Contains("): error PG4201:", elevated.Output, StringComparison.Ordinal);

        var silenced = consumer.Build("-p:PipelineGateWarnOnly=true", "-p:NoWarn=PG4201");
        Assert.True(silenced.ExitCode == 0, silenced.ToString());
        Assert.DoesNotContain("PG4201", silenced.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchanged_model_against_its_git_baseline_builds_green_with_TreatWarningsAsErrors()
    {
        // The sample as a user's repository, with a PR profile against origin/main = this very commit: small,
        // significant differences between two sessions of the same model must not become build warnings.
        var consumer = new ConsumerProject(package, "unchanged-pr", GateConfigs.Sample);
        consumer.CommitAsOriginMain();
        var noPullRequestVariables = new Dictionary<string, string> { ["GITHUB_BASE_REF"] = "", ["SYSTEM_PULLREQUEST_TARGETBRANCH"] = "" };

        var build = consumer.Build(noPullRequestVariables, "-p:PipelineGateProfile=pr", "-p:TreatWarningsAsErrors=true");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("warning PG", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("error PG", build.Output, StringComparison.Ordinal);
        using var results = JsonDocument.Parse(File.ReadAllText(consumer.ResultsPath));
        var root = results.RootElement;
        Assert.Equal("ref", root.GetProperty("baseline").GetProperty("kind").GetString());
        // The sample's int8 variant is slower than its original on CPU: PG4006 (information about the variant, not
        // about the baseline comparison) may appear; nothing else.
        Assert.Empty(root.GetProperty("notices").EnumerateArray().Where(static n => n.GetProperty("codeText").GetString() != "PG4006"));
        var checks = root.GetProperty("checks").EnumerateArray().ToArray();
        Assert.All(checks, c => Assert.True(c.GetProperty("outcome").GetString() == "pass", c.GetProperty("message").GetString()));
        // The latency regressions were judged by the A/B test (not skipped), one per variant.
        Assert.Equal(2, checks.Count(static c => c.GetProperty("metric").GetString() == "latency.p50" && c.TryGetProperty("significant", out _)));
    }

    [Fact]
    public void Model_items_without_a_config_warn_PG1001_and_run_nothing()
    {
        var consumer = new ConsumerProject(package, "no-config", config: null,
            extraProjectXml: "  <ItemGroup>\n    <PipelineGateModel Include=\"digits/digits_mlp.onnx\" />\n  </ItemGroup>\n");

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning PG1001:", build.Output, StringComparison.Ordinal);
        Assert.Contains("digits/digits_mlp.onnx", build.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(consumer.ResultsPath));
    }
}
