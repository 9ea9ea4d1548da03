namespace PipelineGate.MSBuild.Tests;

/// <summary>Gate configs for the consumer: tiny measurement times, so each gate run takes about a second.</summary>
internal static class GateConfigs
{
    /// <summary>The sample model is 27,775 bytes: a limit of 1 KB fails deterministically, 100 KB passes.</summary>
    public static string WithFileSizeLimit(string limit) => $$"""
        version: 1
        measure: { duration: 0.2s, min-samples: 20 }
        models:
          - path: digits/digits_mlp.onnx
            name: digits
            data:
              path: digits/eval
              labels: labels
            metric: top1
            targets: [cpu]
            budgets:
              - { metric: file-size, max: {{limit}} }
              - { metric: latency.p90, max: 1000 ms, target: cpu }
              - { metric: accuracy, min: 50% }

        """;

    /// <summary>The bundled sample's own config (samples/pipelinegate.yml), with its pr and release profiles; its paths match the consumer's layout.</summary>
    public static string Sample => File.ReadAllText(Path.Combine(PackageFixture.RepoRoot, "samples", "pipelinegate.yml"));

    public static string Loose => WithFileSizeLimit("100 KB");

    public static string Tight => WithFileSizeLimit("1 KB");

    /// <summary>A config the CLI rejects before measuring anything (exit 2, PG1003 at the unknown key).</summary>
    public const string UnknownKey = """
        version: 1
        models:
          - path: digits/digits_mlp.onnx
            budgets: []
            colour: blue

        """;
}
