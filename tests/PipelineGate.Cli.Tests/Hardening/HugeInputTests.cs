using PipelineGate.Cli.Commands;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Cli.Tests.Hardening;

/// <summary>
/// Random inputs for a declared huge tensor, and --dim sizes past 2^31-1, are coded errors before anything
/// is allocated (PG2061, PG1010): never an OutOfMemoryException or an overflow.
/// </summary>
public sealed class HugeInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-huge-").FullName;

    public HugeInputTests()
    {
        File.WriteAllBytes(Path.Combine(_dir, "sym.onnx"), TinyModels.Identity(TensorElementType.Float, "batch", "width"));
        File.WriteAllBytes(Path.Combine(_dir, "fixed.onnx"), TinyModels.Identity(TensorElementType.Float, "1000000", "1000000"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("run", "fixed.onnx", "--random-inputs")]
    [InlineData("run", "sym.onnx", "--random-inputs", "--dim", "batch=1000000", "--dim", "width=1000000")]
    [InlineData("bench", "fixed.onnx")]
    [InlineData("bench", "sym.onnx", "--dim", "batch=2147483647", "--dim", "width=2147483647")]
    public void Random_inputs_over_2_GiB_are_PG2061_before_allocation(string verb, string model, params string[] args)
    {
        var r = CliProcess.Run(_dir, [verb, model, .. args]);

        var all = r.StdOut + r.StdErr;
        Assert.True(r.ExitCode == 2, all);
        Assert.Contains("PG2061", all, StringComparison.Ordinal);
        Assert.Contains("'x' float32[", all, StringComparison.Ordinal);
        Assert.Contains("at most 2 GiB", all, StringComparison.Ordinal);
        Assert.DoesNotContain("OutOfMemory", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Overflow", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_with_config_dims_too_large_for_random_inputs_is_PG2061()
    {
        File.WriteAllText(Path.Combine(_dir, "pipelinegate.yml"), """
            version: 1
            measure: { duration: 20ms, min-samples: 3, max-samples: 20, extensions: 0 }
            models:
              - path: sym.onnx
                dims: { batch: 1000000, width: 1000000 }
                budgets:
                  - { metric: latency.p50, max: 1 s }
            """);

        var r = CliProcess.Run(_dir, "check", "--out", "out");

        var all = r.StdOut + r.StdErr;
        Assert.Contains("PG2061", all, StringComparison.Ordinal);
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("OutOfMemory", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batch=2147483648")]
    [InlineData("batch=1000000000000")]
    [InlineData("batch=99999999999999999999999")]
    [InlineData("batch=0")]
    [InlineData("batch=-1")]
    [InlineData("=3")]
    public void Dim_sizes_outside_1_to_2_31_minus_1_are_PG1010(string spec)
    {
        var ex = Assert.Throws<PipelineGateException>(() => RunCommand.ParseDims([spec]));

        Assert.Equal(PgCode.UsageInvalidArgument, ex.Code);
        Assert.Contains("2147483647", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_dim_size_is_accepted()
    {
        Assert.Equal(int.MaxValue, RunCommand.ParseDims(["batch=2147483647"])["batch"]);
    }

    [Fact]
    public void A_dim_of_10_to_the_12_on_the_command_line_is_a_usage_error()
    {
        var r = CliProcess.Run(_dir, "run", "sym.onnx", "--random-inputs", "--dim", "batch=1000000000000");

        Assert.True(r.ExitCode == 2, r.StdOut + r.StdErr);
        Assert.Contains("PG1010", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }
}
