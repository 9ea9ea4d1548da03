using PipelineGate.TestAssets;
using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>
/// docs/config.md and docs/schema/pipelinegate.schema.json describe the format the loader reads; these
/// tests fail when a key, metric or enum value is added to one and not the others.
/// </summary>
public sealed partial class DocsAndSchemaTests
{
    private static readonly string Docs = File.ReadAllText(RepoPaths.Of("docs/config.md"));

    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("docs/schema/pipelinegate.schema.json"))).RootElement;

    public static TheoryData<string> Contexts => [.. ConfigKeys.Contexts.Keys];

    [Fact]
    public void The_full_example_in_the_docs_loads()
    {
        using var dir = new ConfigDir();
        dir.Touch("digits/digits_mlp.onnx");
        Directory.CreateDirectory(Path.Combine(dir.Root, "digits", "eval"));
        Directory.CreateDirectory(Path.Combine(dir.Root, "digits", "calibration"));

        var config = dir.Load(FullExample());
        var model = Assert.Single(config.Models);
        Assert.Equal("digits", model.Name);
        Assert.Equal(["cpu", "cuda"], model.Targets.Select(t => t.Name));
        Assert.Equal(["original", "int8", "pruned-int8"], model.Variants.Select(v => v.Name));
        Assert.Equal(6, model.Budgets.Count);
        Assert.Equal(["pr", "release"], config.Profiles.Keys);
        Assert.Equal(TimeSpan.FromSeconds(5), model.Measure.Duration);
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_schema_defines_exactly_the_keys_the_loader_reads(string context)
    {
        var definition = context == "root" ? Schema : Schema.GetProperty("$defs").GetProperty(context);
        var schemaKeys = definition.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(ConfigKeys.Contexts[context].Order(StringComparer.Ordinal), schemaKeys);
        Assert.False(definition.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void The_schema_has_a_definition_for_every_place_keys_are_read()
    {
        var defs = Schema.GetProperty("$defs").EnumerateObject().Where(d => d.Value.TryGetProperty("properties", out _)).Select(d => d.Name);
        Assert.Equal(ConfigKeys.Contexts.Keys.Where(k => k != "root").Order(StringComparer.Ordinal), defs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_schema_groups_every_metric_by_the_units_its_limits_take()
    {
        var defs = Schema.GetProperty("$defs");
        foreach (var metric in MetricCatalog.Metrics)
        {
            var group = metric switch
            {
                { Name: "peak-memory" } => "metric-measured-bytes",
                { Dimension: UnitDimension.Time } => "metric-time",
                { Dimension: UnitDimension.Rate } => "metric-rate",
                { Dimension: UnitDimension.Bytes } => "metric-bytes",
                { Dimension: UnitDimension.Count } => "metric-count",
                _ => "metric-ratio",
            };
            Assert.Contains(metric.Name, Enum(defs.GetProperty(group)));
        }

        var all = defs.EnumerateObject().Where(d => d.Name.StartsWith("metric-", StringComparison.Ordinal)).SelectMany(d => Enum(d.Value)).Order(StringComparer.Ordinal);
        Assert.Equal(MetricCatalog.Metrics.Select(m => m.Name).Order(StringComparer.Ordinal), all);
    }

    [Fact]
    public void The_schema_enums_match_the_loader()
    {
        var defs = Schema.GetProperty("$defs");
        Assert.Equal(ConfigKeys.TargetNames, Enum(defs.GetProperty("target-name")));
        Assert.Equal(ConfigKeys.QuantizeModes, Enum(defs.GetProperty("quantize").GetProperty("properties").GetProperty("mode")));
        Assert.Equal(ConfigKeys.AccuracyMetrics, Enum(defs.GetProperty("model").GetProperty("properties").GetProperty("metric")));
        Assert.Equal(ConfigKeys.Severities, Enum(defs.GetProperty("budget").GetProperty("properties").GetProperty("severity")));
    }

    [Fact]
    public void The_docs_name_every_key_metric_and_enum_value()
    {
        var missing = ConfigKeys.Contexts.Values.SelectMany(k => k)
            .Concat(MetricCatalog.Metrics.Select(m => m.Name))
            .Concat(ConfigKeys.TargetNames).Concat(ConfigKeys.QuantizeModes).Concat(ConfigKeys.Severities)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !Docs.Contains($"`{name}`", StringComparison.Ordinal))
            .ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_docs_metric_table_lists_the_catalog_in_order()
    {
        var table = Docs[Docs.IndexOf("## Metrics", StringComparison.Ordinal)..];
        var rows = MetricRow().Matches(table).Select(m => m.Groups[1].Value);
        Assert.Equal(MetricCatalog.Metrics.Select(m => m.Name), rows);
    }

    [Fact]
    public void The_sample_names_the_schema_for_editors()
    {
        var firstLine = File.ReadLines(RepoPaths.Of("samples/pipelinegate.yml")).First();
        Assert.Equal("# yaml-language-server: $schema=../docs/schema/pipelinegate.schema.json", firstLine);
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(RepoPaths.Of("samples"), "../docs/schema/pipelinegate.schema.json"))));
    }

    private static string FullExample()
    {
        var section = Docs[Docs.IndexOf("## Full example", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static string[] Enum(JsonElement e) => [.. e.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)];

    [GeneratedRegex(@"^\| `([a-z0-9.\-]+)` \| (?:time|rate|size|count|ratio) \|", RegexOptions.Multiline)]
    private static partial Regex MetricRow();
}
