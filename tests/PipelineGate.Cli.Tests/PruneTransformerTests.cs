using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineGate.Onnx.IO;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary><c>pipelinegate prune --method heads|ffn</c> on the real all-MiniLM-L6-v2 through the real CLI.</summary>
public sealed class PruneTransformerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-prune-tf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("heads", "0.34", "removed 24 of 72 attention heads in 6 block(s)")]
    [InlineData("ffn", "0.3", "removed 2736 of 9216 FFN neurons in 6 block(s)")]
    public void Prune_writes_a_smaller_encoder_and_prints_parameters_size_and_MACs_before_and_after(string method, string sparsity, string note)
    {
        var model = RealEncoder.MiniLmModel;
        var output = Path.Combine(_dir, $"minilm-{method}.onnx");
        var hash = AssetCache.Sha256(model);

        var result = CliProcess.Run(_dir, "prune", model, "-o", output, "--method", method, "--sparsity", sparsity, "--dim", "batch=1", "--dim", "sequence=128");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var text = Regex.Replace(result.StdOut, @"\s+", " ");
        Assert.Contains("parameters", text, StringComparison.Ordinal);
        Assert.Contains("MACs", text, StringComparison.Ordinal);
        Assert.Contains("size", text, StringComparison.Ordinal);
        Assert.Contains(note, text, StringComparison.Ordinal);
        Assert.Contains("no fine-tuning", text, StringComparison.Ordinal);
        Assert.True(new FileInfo(output).Length < 0.95 * new FileInfo(model).Length);
        Assert.Equal(hash, AssetCache.Sha256(model));

        var written = ModelFile.Load(output);
        var meta = JsonDocument.Parse(written.Model.MetadataProps.Single(static p => p.Key == "pipelinegate.pruning").Value).RootElement;
        Assert.Equal(method, meta.GetProperty("method").GetString());
    }

    [Fact]
    public void Prune_heads_on_a_model_without_attention_exits_with_the_coded_error()
    {
        var result = CliProcess.Run(_dir, "prune", CliProcess.Sample("digits", "digits_mlp.onnx"), "-o", Path.Combine(_dir, "x.onnx"), "--method", "heads", "--sparsity", "0.5");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PG2036", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.onnx")));
    }
}
