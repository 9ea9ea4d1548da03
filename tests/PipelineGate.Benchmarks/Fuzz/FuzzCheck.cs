using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Report;

namespace PipelineGate.Benchmarks.Fuzz;

/// <summary>
/// Runs <c>check</c> in this process (GateRunner, as <c>--isolation off</c>) on a fuzzed input under the
/// <see cref="Profile"/> profile: tens of milliseconds and a few samples per variant, no extensions or
/// re-measures, so thousands of gates fit in minutes. Renders every report the CLI writes, so a result the
/// renderers cannot take is found too. Returns the PG codes of the notices and of every check that has one.
/// </summary>
public static class FuzzCheck
{
    public const string Profile = "fuzz";

    /// <summary>The fuzz profile, as a config's <c>profiles:</c> entry (indented under it).</summary>
    public const string ProfileYaml = """
          fuzz:
            measure: { duration: 20ms, min-samples: 3, max-samples: 20, extensions: 0, remeasure: 0 }
        """;

    private static readonly string[] Variants =
    [
        "",
        "\n    variants:\n      - name: int8\n        steps:\n          - quantize: { mode: dynamic }",
        "",
        "\n    variants:\n      - name: fp16\n        steps:\n          - quantize: { mode: fp16 }",
    ];

    /// <summary>Mutant <paramref name="index"/> as the one model of a gate (some with an int8 or fp16 variant) in its own folder.</summary>
    public static IEnumerable<string> Model(byte[] model, int index, string scratch)
    {
        var dir = Path.Combine(scratch, "check", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "fuzz.onnx"), model);
            File.WriteAllBytes(Path.Combine(dir, "weights.bin"), new byte[256]);
            var config = Path.Combine(dir, "pipelinegate.yml");
            File.WriteAllText(config, $$"""
                version: 1
                models:
                  - path: fuzz.onnx
                    name: fuzz{{Variants[index % Variants.Length]}}
                    budgets:
                      - { metric: file-size, max: 100 MB }
                      - { metric: latency.p50, max: 10 s }
                      - { metric: parameters, max: 100 M }
                profiles:
                {{ProfileYaml}}
                """);
            return Gate(ConfigLoader.Load(config), Path.Combine(scratch, "cache"), Path.Combine(dir, "out"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A loaded config through the gate under the fuzz profile (when it still has one) and every renderer.</summary>
    public static IEnumerable<string> Gate(GateConfig config, string cache, string outDir)
    {
        var result = GateRunner.Run(config, new GateRunOptions
        {
            Profile = Profile,
            WorkDirectory = Path.Combine(outDir, ".work"),
            VariantCache = cache,
            ToolVersion = "fuzz",
        });
        var options = new ReportOptions { ReproduceCommand = "pipelinegate check --profile fuzz", ArtifactName = "fuzz" };
        _ = MarkdownReport.Render(result, options);
        _ = HtmlReport.Render(result, options);
        _ = JUnitReport.Render(result, options);
        _ = ConsoleReport.Render(result, options);
        _ = ResultsFile.Parse(ResultsFile.Serialize(result), "results.json");
        return result.Notices.Select(static n => n.CodeText).Concat(result.Checks.Where(static c => c.Code is not null).Select(static c => c.CodeText!)).ToArray();
    }
}
