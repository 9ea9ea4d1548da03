using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

public sealed class ProfileTests : IDisposable
{
    private const string Yaml = """
        version: 1
        measure: { duration: 8s, threshold: 3% }
        models:
          - path: m.onnx
            variants: [ { name: int8, steps: [ { quantize: } ] } ]
            measure: { min-samples: 100 }
            budgets:
              - { metric: latency.p90, max: 12 ms }
              - { metric: latency.p50, max-regression: 5% }
              - { metric: file-size, variant: int8, max: 6 MB }
          - path: other.onnx
            budgets:
              - { metric: latency.p50, max-regression: 5% }
        profiles:
          pr:
            measure: { duration: 2s }
            budgets:
              - { metric: latency.p50, max-regression: 15% }
              - { metric: latency.p90, max: 20 ms, model: m }
              - { metric: file-size, max: 1 MB, model: other }
          release:
            ratchet: true
          empty:
        """;

    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Profile_budgets_replace_those_with_the_same_key_and_add_the_rest()
    {
        var config = _dir.Load(Yaml).WithProfile("pr");
        var m = config.Models[0];
        Assert.Equal(
            ["file-size|int8|*|Absolute 6 MB", "latency.p50|*|*|Regression 15%", "latency.p90|*|*|Absolute 20 ms"],
            m.Budgets.Select(Describe).Order(StringComparer.Ordinal));

        var other = config.Models[1];
        Assert.Equal(
            ["file-size|*|*|Absolute 1 MB", "latency.p50|*|*|Regression 15%"],
            other.Budgets.Select(Describe).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Measure_settings_merge_defaults_top_level_model_and_profile()
    {
        var config = _dir.Load(Yaml);
        var m = config.Models[0].Measure;
        Assert.Equal((TimeSpan.FromSeconds(8), 0.03, 100, 5000), (m.Duration, m.Threshold, m.MinSamples, m.MaxSamples));
        Assert.Equal(60, config.Models[1].Measure.MinSamples);

        // The profile's section is merged over the top level and, while active, wins over the models' own.
        var pr = config.WithProfile("pr").Models[0].Measure;
        Assert.Equal((TimeSpan.FromSeconds(2), 0.03, 60), (pr.Duration, pr.Threshold, pr.MinSamples));
    }

    [Fact]
    public void Profiles_without_settings_change_nothing()
    {
        var config = _dir.Load(Yaml);
        Assert.Equal(config.Models[0].Budgets, config.WithProfile("empty").Models[0].Budgets);
        Assert.Equal(config.Models[0].Measure, config.WithProfile("release").Models[0].Measure);
        Assert.Same(config, config.WithProfile(null));
    }

    [Fact]
    public void Ratchet_results_default_next_to_the_config()
    {
        var release = _dir.Load(Yaml).Profiles["release"];
        Assert.True(release.Ratchet);
        Assert.Equal(Path.Combine(_dir.Root, ".pipelinegate", "release-results.json"), release.RatchetResults);
        Assert.Null(_dir.Load(Yaml).Profiles["pr"].RatchetResults);
    }

    [Fact]
    public void PG1008_unknown_profile()
    {
        var config = _dir.Load(Yaml);
        var e = Assert.Throws<PipelineGateException>(() => config.WithProfile("nightly"));
        Assert.Equal(PgCode.ConfigUnknownProfile, e.Code);
        Assert.Equal(_dir.ConfigPath, e.Diagnostic.File);
        Assert.Contains("pr, release, empty", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_budgets_without_a_model_are_checked_against_every_model()
    {
        var yaml = Yaml.Replace("      - { metric: latency.p50, max-regression: 15% }", "      - { metric: file-size, variant: int8, max: 2 MB }", StringComparison.Ordinal);
        var d = Assert.Single(_dir.Errors(yaml));
        Assert.Equal((PgCode.ConfigInvalidValue, 18, 39), (d.Code, d.Line, d.Column));
        Assert.Contains("model 'other'", d.Message, StringComparison.Ordinal);
    }

    private static string Describe(BudgetConfig b) =>
        $"{b.Metric}|{b.Variant ?? "*"}|{b.Target ?? "*"}|{b.Kind} {b.Max ?? b.Min ?? b.MaxDrop ?? b.MaxRegression}";
}
