using PipelineGate.Benchmarks.Fuzz;
using Xunit;

namespace PipelineGate.Tests.Hardening;

/// <summary>
/// The fuzz harness at a small count, through check too (the benchmarks' <c>fuzz</c> command runs ≥ 10,000 of each):
/// structurally mutated real models and configs are rejected with a PG code or accepted, never an
/// unhandled exception, never over the time bound.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "pg-fuzz-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Fact]
    public void Mutated_models_are_coded_rejections_or_accepted()
    {
        var r = FuzzRunner.Onnx(400, seed: 7, Path.Combine(_scratch, "onnx"), check: true);

        Assert.True(r.Crashes.Count == 0, string.Join("\n", r.Crashes));
        Assert.Equal(0, r.Hangs);
        Assert.True(r.Codes.Count >= 5, "the mutations reach few checks: " + string.Join(", ", r.Codes.Keys));
        Assert.InRange(r.Accepted, 1, r.Tried - 1); // some mutants stay valid, most do not
        Assert.True(r.Checked > r.Tried / 2, $"only {r.Checked} of {r.Tried} mutants reached check");
    }

    [Fact]
    public void Mutated_configs_are_coded_rejections_or_accepted()
    {
        var r = FuzzRunner.Yaml(400, seed: 7, Path.Combine(_scratch, "yaml"), check: true);

        Assert.True(r.Crashes.Count == 0, string.Join("\n", r.Crashes));
        Assert.Equal(0, r.Hangs);
        Assert.True(r.Codes.Count >= 4, "the mutations reach few checks: " + string.Join(", ", r.Codes.Keys));
        Assert.True(r.Accepted > 0);
        Assert.True(r.Checked > 0, "no mutant reached check");
    }
}
