using PipelineGate.TestAssets;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Runtime;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>The bundled sample (samples/pipelinegate.yml) is the product's default config: it must load into exactly these values.</summary>
public sealed class SampleConfigTests
{
    private static readonly string SamplePath = RepoPaths.Of("samples/pipelinegate.yml");

    private static GateConfig Load() => ConfigLoader.Load(SamplePath, new Dictionary<string, string>());

    [Fact]
    public void Loads_the_model_its_data_target_and_variants()
    {
        var config = Load();
        Assert.Equal(Path.GetFullPath(SamplePath), config.Path);
        Assert.Equal(1, config.Version);
        var model = Assert.Single(config.Models);
        Assert.Equal("digits", model.Name);
        Assert.Equal("digits/digits_mlp.onnx", model.RelativePath);
        Assert.Equal(RepoPaths.Of("samples/digits/digits_mlp.onnx"), model.Path);
        Assert.True(File.Exists(model.Path));
        Assert.Equal("top1", model.Metric);
        Assert.Equal((13, 5), (model.Location.Line, model.Location.Column));

        var data = Assert.IsType<DataConfig>(model.Data);
        Assert.Equal(RepoPaths.Of("samples/digits/eval"), data.Path);
        Assert.Equal("digits/eval", data.RelativePath);
        Assert.Equal("labels", data.Labels);
        Assert.Empty(data.Inputs);
        Assert.Null(data.Limit);

        var target = Assert.Single(model.Targets);
        Assert.Equal(("cpu", ExecutionProvider.Cpu, 1, true), (target.Name, target.Provider, target.Threads, target.Required));
        Assert.Empty(target.ProviderOptions);

        Assert.Equal(["original", "int8"], model.Variants.Select(v => v.Name));
        Assert.True(model.Variants[0].IsOriginal);
        var step = Assert.Single(model.Variants[1].Steps);
        Assert.Equal("quantize", step.Kind);
        Assert.Equal("dynamic", step.Options["mode"]);
        Assert.Equal("quantize(mode=dynamic)", step.ToString());
    }

    [Fact]
    public void Loads_the_budgets_in_base_units()
    {
        var budgets = Assert.Single(Load().Models).Budgets;
        Assert.Equal(6, budgets.Count);

        Assert.Equal(("latency.p90", "cpu", 1.0, UnitDimension.Time, "1 ms"), (budgets[0].Metric, budgets[0].Target, budgets[0].Max!.Value.Value, budgets[0].Max!.Value.Dimension, budgets[0].Max!.Value.Text));
        Assert.Equal(BudgetKind.Absolute, budgets[0].Kind);

        Assert.Equal(("latency.p50", 0.10, UnitDimension.Relative), (budgets[1].Metric, budgets[1].MaxRegression!.Value.Value, budgets[1].MaxRegression!.Value.Dimension));
        Assert.Equal(BudgetKind.Regression, budgets[1].Kind);
        Assert.Null(budgets[1].Target);

        Assert.Equal(("file-size", 100_000.0, UnitDimension.Bytes), (budgets[2].Metric, budgets[2].Max!.Value.Value, budgets[2].Max!.Value.Dimension));
        Assert.Equal(("parameters", 0.0), (budgets[3].Metric, budgets[3].MaxRegression!.Value.Value));

        Assert.Equal(("accuracy", 0.95, UnitDimension.Ratio), (budgets[4].Metric, budgets[4].Min!.Value.Value, budgets[4].Min!.Value.Dimension));
        Assert.Null(budgets[4].Variant);

        Assert.Equal(("accuracy", "int8", 0.01, UnitDimension.PercentagePoints), (budgets[5].Metric, budgets[5].Variant, budgets[5].MaxDrop!.Value.Value, budgets[5].MaxDrop!.Value.Dimension));
        Assert.Equal(BudgetKind.DropFromOriginal, budgets[5].Kind);
        Assert.All(budgets, b => Assert.False(b.WarningOnly));
        Assert.All(budgets, b => Assert.Equal(Path.GetFullPath(SamplePath), b.Location.File));
    }

    [Fact]
    public void Loads_measure_settings_and_profiles()
    {
        var config = Load();
        var measure = config.Models[0].Measure;
        Assert.Equal(TimeSpan.FromSeconds(5), measure.Duration);
        Assert.Equal(0.05, measure.Threshold, 1e-12);
        Assert.Equal(0.95, measure.Confidence, 1e-12);
        Assert.Equal(MeasureConfig.Default.MinSamples, measure.MinSamples);

        Assert.Equal(["pr", "release"], config.Profiles.Keys.Order(StringComparer.Ordinal));
        var pr = config.Profiles["pr"];
        Assert.Equal(TimeSpan.FromSeconds(3), pr.Measure!.Duration);
        Assert.Equal(0.05, pr.Measure.Threshold, 1e-12);
        Assert.False(pr.Ratchet);
        var prBudget = Assert.Single(pr.Budgets);
        Assert.Null(prBudget.Model);
        Assert.Equal(0.15, prBudget.Budget.MaxRegression!.Value.Value, 1e-12);

        var release = config.Profiles["release"];
        Assert.True(release.Ratchet);
        Assert.Equal(RepoPaths.Of("samples/.pipelinegate/release-results.json"), release.RatchetResults);
        Assert.Equal(200, release.Measure!.MinSamples);
    }

    [Fact]
    public void The_pr_profile_loosens_the_latency_regression_budget()
    {
        var pr = Load().WithProfile("pr").Models[0];
        var regression = Assert.Single(pr.Budgets, b => b.Metric == "latency.p50");
        Assert.Equal("15%", regression.MaxRegression!.Value.Text);
        Assert.Equal(6, pr.Budgets.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), pr.Measure.Duration);
    }
}
