using System.Text.Json;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Cli.Tests;

public sealed class InspectAndRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Inspect_json_has_the_documented_schema_and_exact_facts()
    {
        var r = CliProcess.Run(_dir, "inspect", CliProcess.Sample("digits", "digits_mlp.onnx"), "--json");

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal("pipelinegate/inspect/v1", root.GetProperty("schema").GetString());
        var model = root.GetProperty("model");
        Assert.Equal(6570, model.GetProperty("parameterCount").GetInt64());
        Assert.Equal(64 * 64 + 64 * 32 + 32 * 10, model.GetProperty("compute").GetProperty("macs").GetInt64());
        Assert.Equal("pixels", model.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal(["batch", "64"], model.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(static e => e.GetString()));
        Assert.Equal(0, root.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public void Run_writes_every_output_as_npy_that_matches_the_labels()
    {
        var outDir = Path.Combine(_dir, "out");
        var r = CliProcess.Run(_dir, "run", CliProcess.Sample("digits", "digits_mlp.onnx"), "--input", "pixels=" + CliProcess.Sample("digits", "eval", "pixels.npy"), "--output-dir", outDir);

        Assert.True(r.ExitCode == 0, r.StdErr);
        var probabilities = NpyFile.Read(Path.Combine(outDir, "probabilities.npy"));
        var labels = NpyFile.Read(CliProcess.Sample("digits", "eval", "labels.npy")).AsSpan<long>().ToArray();
        Assert.Equal([359L, 10L], probabilities.Shape);
        var p = probabilities.AsSpan<float>().ToArray();
        var correct = Enumerable.Range(0, 359).Count(i => Array.IndexOf(p, p.Skip(i * 10).Take(10).Max(), i * 10, 10) - (i * 10) == labels[i]);
        Assert.Equal(350, correct); // 97.49 %, as recorded when the sample was trained
    }

    [Fact]
    public void Run_with_random_inputs_and_a_fixed_dim()
    {
        var r = CliProcess.Run(_dir, "run", CliProcess.Sample("digits", "digits_mlp.onnx"), "--random-inputs", "--dim", "batch=3", "-o", "o");

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal([3L, 10L], NpyFile.Read(Path.Combine(_dir, "o", "probabilities.npy")).Shape);
    }

    [Theory]
    [InlineData("missing.onnx", "PG2001")]
    [InlineData("lfs.onnx", "PG2004")]
    [InlineData("empty.onnx", "PG2002")]
    public void Bad_models_exit_2_with_a_coded_message_and_no_stack_trace(string name, string code)
    {
        File.WriteAllText(Path.Combine(_dir, "lfs.onnx"), "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n");
        File.WriteAllBytes(Path.Combine(_dir, "empty.onnx"), []);

        var r = CliProcess.Run(_dir, "inspect", name);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"error {code}:", r.StdErr, StringComparison.Ordinal);
        Assert.Contains(name, r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_input_without_random_is_PG2024_exit_2()
    {
        var r = CliProcess.Run(_dir, "run", CliProcess.Sample("digits", "digits_mlp.onnx"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG2024", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("--random-inputs", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("trt")] // TensorRT's short name is a provider, not a usage error (PG1010, exit 2)
    public void Gpu_provider_on_this_build_is_PG3003_exit_3(string provider)
    {
        var r = CliProcess.Run(_dir, "run", CliProcess.Sample("digits", "digits_mlp.onnx"), "--random-inputs", "--provider", provider);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("PG3003", r.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inspect", "model.onnx", "--no-such-option")]
    [InlineData("frobnicate")]
    public void Unknown_option_or_command_is_a_usage_error_exit_2(params string[] args)
    {
        var r = CliProcess.Run(_dir, args);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG1010", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_json_compares_a_model_with_itself_as_same()
    {
        var json = Path.Combine(_dir, "bench.json");
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");

        var r = CliProcess.Run(_dir, "bench", model, "--baseline", model, "--duration", "0.5", "--json", json);

        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("pipelinegate/bench/v1", doc.RootElement.GetProperty("schema").GetString());
        Assert.NotEqual("slower", doc.RootElement.GetProperty("comparison").GetProperty("verdict").GetString());
        Assert.True(doc.RootElement.GetProperty("candidate").GetProperty("latency").GetProperty("summary").GetProperty("count").GetInt32() >= 60);
    }
}
