using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Cli.Tests.Acceptance;

/// <summary>The gate says which symbolic dims random inputs filled with 1, and how to size them (dims: or --dim).</summary>
public sealed class SymbolicDimsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-dims-").FullName;

    public SymbolicDimsTests()
    {
        File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), TinyModels.Identity(TensorElementType.Float, "batch", "width"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CliProcess.Result Check(string dims, params string[] args)
    {
        File.WriteAllText(Path.Combine(_dir, "pipelinegate.yml"), $"""
            version: 1
            measure: {"{"} duration: 20ms, min-samples: 3, max-samples: 20, extensions: 0 {"}"}
            models:
              - path: m.onnx
            {dims}
                budgets:
                  - {"{"} metric: file-size, max: 1 MB {"}"}
            """);
        return CliProcess.Run(_dir, ["check", "--out", "out", .. args]);
    }

    [Fact]
    public void Without_sizes_check_names_each_filled_dim_and_the_fix_in_console_and_report()
    {
        var r = Check("");

        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        var all = r.StdOut + r.StdErr;
        Assert.Contains("PG4005", all, StringComparison.Ordinal);
        Assert.Contains("'batch' (input 'x', axis 0)", all, StringComparison.Ordinal);
        Assert.Contains("'width' (input 'x', axis 1)", all, StringComparison.Ordinal);
        Assert.Contains("--dim batch=N", all, StringComparison.Ordinal);
        Assert.Contains("PG4005", File.ReadAllText(Path.Combine(_dir, "out", "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Dims_in_the_config_name_only_the_dims_left_unsized()
    {
        var r = Check("    dims: { batch: 2 }");

        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        Assert.Contains("'width'", r.StdOut + r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("'batch'", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dim_options_on_check_size_every_dim_and_the_notice_goes()
    {
        var r = Check("    dims: { batch: 2 }", "--dim", "width=8");

        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        Assert.DoesNotContain("PG4005", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }
}
