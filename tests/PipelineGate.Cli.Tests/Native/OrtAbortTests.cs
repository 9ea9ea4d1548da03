using System.Text.Json;
using PipelineGate.Cli.Tests.Publish;
using Xunit;

namespace PipelineGate.Cli.Tests.Native;

/// <summary>
/// A fault inside ONNX Runtime itself, not in a library of ours: the fuzz harness's input 6724 of seed 5, the backend
/// test model test_gru_with_initial_bias with its input X declared [1, 0, 3] (batch 0; 222 bytes). It passes validation,
/// ORT creates the session, and its GRU kernel ends the process with std::terminate (SIGABRT) when it runs. Under the
/// default isolation the gate names the model, reports the other one, and exits 3.
/// </summary>
public sealed class OrtAbortTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void An_ORT_kernel_that_aborts_on_a_zero_batch_costs_its_own_model_only()
    {
        File.Copy(Path.Combine(CliProcess.RepoRoot, "tests", "PipelineGate.Core.Tests", "Hardening", "Data", "fuzz-seed5-6724-gru-zero-batch.onnx"), Path.Combine(_dir.Path, "gru0.onnx"));
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("digits"), Path.Combine(_dir.Path, "digits"));
        _dir.Write("pipelinegate.yml", """
            version: 1
            measure: { duration: 100ms, min-samples: 5 }
            models:
              - path: gru0.onnx
                name: gru0
                budgets:
                  - { metric: file-size, max: 100 KB }
              - path: digits/digits_mlp.onnx
                name: digits
                budgets:
                  - { metric: file-size, max: 100 KB }
            """);

        var r = CliProcess.Run(_dir.Path, "check", "--model-timeout", "120s", "-o", "out");

        Assert.True(r.ExitCode == 3, r.StdErr + r.StdOut);
        Assert.Contains("error PG3009", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("model 'gru0' (variant 'original'", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("signal 6, SIGABRT", r.StdErr, StringComparison.Ordinal);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "out", "results.json")));
        Assert.Equal(["digits"], results.RootElement.GetProperty("models").EnumerateArray().Select(static m => m.GetProperty("name").GetString()!).ToArray());
    }
}
