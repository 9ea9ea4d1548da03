using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>Configs come from pull requests: the loader refuses hostile sizes before it reads any key.</summary>
public sealed class ConfigBoundsTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Billion_laughs_anchors_are_refused_before_any_key_is_read()
    {
        // Ten levels of ten aliases: 18 lines of text, 10^10 nodes when expanded.
        var yaml = new StringBuilder("version: 1\nmodels:\n  - path: m.onnx\n    measure: &l0 { duration: 1s }\n");
        for (var i = 1; i <= 10; i++)
        {
            yaml.Append("  - path: m.onnx\n    variants: &l").Append(i).Append(" [").Append(string.Join(", ", Enumerable.Repeat("*l" + (i - 1), 10))).Append("]\n");
        }

        var e = Assert.Throws<ConfigException>(() => _dir.Load(yaml.ToString()));

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(PgCode.ConfigTooLarge, d.Code);
        Assert.Contains("100,000 YAML nodes", d.Message, StringComparison.Ordinal);
        Assert.Equal(_dir.ConfigPath, d.File);
    }

    [Fact]
    public void Anchors_used_a_few_times_still_load()
    {
        var config = _dir.Load("""
            version: 1
            models:
              - path: m.onnx
                name: a
                measure: &fast { duration: 1s }
              - path: other.onnx
                name: b
                measure: *fast
            """);

        Assert.Equal(2, config.Models.Count);
        Assert.Equal(config.Models[0].Measure.Duration, config.Models[1].Measure.Duration);
    }

    [Fact]
    public void A_file_over_4_MiB_is_refused_without_parsing()
    {
        var yaml = "version: 1\n# " + new string('x', 4 * 1024 * 1024) + "\nmodels: [ { path: m.onnx } ]\n";

        var e = Assert.Throws<ConfigException>(() => _dir.Load(yaml));

        Assert.Equal(PgCode.ConfigTooLarge, Assert.Single(e.Diagnostics).Code);
    }

    [Fact]
    public void More_than_1000_models_or_100_variants_of_one_model_are_coded_errors()
    {
        var many = new StringBuilder("version: 1\nmodels:\n");
        for (var i = 0; i < 1001; i++)
        {
            many.Append("  - { path: m.onnx, name: m").Append(i).Append(" }\n");
        }

        var models = Assert.Throws<ConfigException>(() => _dir.Load(many.ToString()));
        var d = Assert.Single(models.Diagnostics);
        Assert.Equal((PgCode.ConfigTooManyEntries, 1003), (d.Code, d.Line ?? 0)); // the 1001st model's line
        Assert.Contains("1001 models", d.Message, StringComparison.Ordinal);

        var variants = new StringBuilder("version: 1\nmodels:\n  - path: m.onnx\n    variants:\n");
        for (var i = 0; i < 101; i++)
        {
            variants.Append("      - { name: v").Append(i).Append(", steps: [ { quantize: { mode: dynamic } } ] }\n");
        }

        var v = Assert.Throws<ConfigException>(() => _dir.Load(variants.ToString()));
        Assert.Contains(v.Diagnostics, static x => x.Code == PgCode.ConfigTooManyEntries && x.Message.Contains("101 variants", StringComparison.Ordinal));
    }
}
