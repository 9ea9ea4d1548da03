using System.Text.Json;
using PipelineGate.Cli.Tests.Publish;
using PipelineGate.Runtime;
using PipelineGate.TestAssets.Native;
using Xunit;

namespace PipelineGate.Cli.Tests.Native;

/// <summary>
/// Real native faults inside ONNX Runtime's Run: a custom-op library (compiled from Native/pg_fault_ops.c at
/// setup) whose kernels abort() or never return. Under isolation=process each costs its own model only: the
/// gate names the model and variant, reports the other model, and exits 3.
/// </summary>
public sealed class NativeFaultTests : IDisposable
{
    private readonly TempDir _dir = new();

    public NativeFaultTests()
    {
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("digits"), Path.Combine(_dir.Path, "digits"));
    }

    public void Dispose() => _dir.Dispose();

    [NativeFact]
    public void A_kernel_that_aborts_is_PG3009_naming_model_and_variant_and_the_other_model_is_reported()
    {
        Write("Abort", CustomOpLibrary.HashOf(NativeFaultLibrary.Path));

        var r = CliProcess.Run(_dir.Path, "check", "--isolation", "process", "--model-timeout", "120s", "-o", "out");

        Assert.True(r.ExitCode == 3, r.StdErr + r.StdOut);
        Assert.Contains("error PG3009", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("model 'faulty' (variant 'original'", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("signal 6, SIGABRT", r.StdErr, StringComparison.Ordinal);
        AssertOnlyDigitsReported("PG3009");
    }

    [NativeFact]
    public void A_kernel_that_never_returns_is_PG3010_after_the_watchdog_bound()
    {
        Write("Sleep", CustomOpLibrary.HashOf(NativeFaultLibrary.Path));

        var r = CliProcess.Run(_dir.Path, "check", "--isolation", "process", "--model-timeout", "20s", "-o", "out");

        Assert.True(r.ExitCode == 3, r.StdErr + r.StdOut);
        Assert.Contains("error PG3010", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("model 'faulty' (variant 'original'", r.StdErr, StringComparison.Ordinal);
        AssertOnlyDigitsReported("PG3010");
        Assert.Empty(IsolationTestsSupport.Workers(_dir.Path));
    }

    [NativeFact]
    public void A_library_whose_hash_is_not_the_pinned_one_is_not_loaded()
    {
        Write("Abort", new string('0', 64));

        var r = CliProcess.Run(_dir.Path, "check", "--isolation", "process", "--model-timeout", "120s", "-o", "out");

        Assert.Contains("PG1024", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("PG3009", r.StdErr, StringComparison.Ordinal); // it never ran
        Assert.NotEqual(0, r.ExitCode);
    }

    [Fact]
    public void A_custom_domain_without_an_allowed_library_is_PG4514_naming_the_domain()
    {
        Write("Abort", library: null);

        var r = CliProcess.Run(_dir.Path, "check", "--isolation", "process", "--model-timeout", "120s", "-o", "out");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PG4514", r.StdErr + r.StdOut, StringComparison.Ordinal);
        Assert.Contains("'pg.test' (Abort)", r.StdErr + r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("PG3009", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_library_is_PG1023_at_its_config_line()
    {
        File.WriteAllBytes(Path.Combine(_dir.Path, "faulty.onnx"), NativeFaultLibrary.Model("Abort"));
        _dir.Write("pipelinegate.yml", $$"""
            version: 1
            models:
              - path: faulty.onnx
                custom-op-libraries:
                  - { path: native/libnone.so, sha256: {{new string('0', 64)}} }
            """);

        var r = CliProcess.Run(_dir.Path, "check", "-o", "out");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("pipelinegate.yml(5,", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("error PG1023", r.StdErr, StringComparison.Ordinal);
    }

    private void Write(string op, string? library)
    {
        File.WriteAllBytes(Path.Combine(_dir.Path, "faulty.onnx"), NativeFaultLibrary.Model(op));
        var allow = library is null ? "" : $$"""

                custom-op-libraries:
                  - { path: '{{NativeFaultLibrary.Path}}', sha256: {{library}} }
            """;
        _dir.Write("pipelinegate.yml", $$"""
            version: 1
            measure: { duration: 300ms, min-samples: 10 }
            models:
              - path: faulty.onnx
                name: faulty{{allow}}
                budgets:
                  - { metric: file-size, max: 100 KB }
              - path: digits/digits_mlp.onnx
                name: digits
                budgets:
                  - { metric: file-size, max: 100 KB }
            """);
    }

    private void AssertOnlyDigitsReported(string code)
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "out", "results.json")));
        var models = results.RootElement.GetProperty("models").EnumerateArray().Select(static m => m.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["digits"], models);
        Assert.Contains($"<error type=\"{code}\"", File.ReadAllText(Path.Combine(_dir.Path, "out", "junit.xml")), StringComparison.Ordinal);
    }
}
