using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary><c>pipelinegate prune --method heads|ffn</c> on the real all-MiniLM-L6-v2 through the real CLI, plain and with the accuracy-aware search on text.</summary>
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
    public void Prune_heads_with_max_drop_on_text_searches_per_block_and_the_written_model_measures_within_the_budget()
    {
        var model = RealEncoder.MiniLmModel;
        var text = Path.Combine(_dir, "cookies.txt");
        File.WriteAllLines(text, RealText.Cookies.Skip(16).Take(16));
        var output = Path.Combine(_dir, "minilm-heads-searched.onnx");

        var r = CliProcess.Run(_dir, "prune", model, "-o", output, "--method", "heads", "--sparsity", "0.34", "--text", text, "--tokenizer", RealEncoder.MiniLmVocab, "--max-length", "64", "--max-drop", "0.05");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var stdout = Regex.Replace(r.StdOut, @"\s+", " ");
        Assert.Contains("accuracy-aware search (max-drop 0.05, 1 − mean cosine similarity vs the original on 16 sample(s) of cookies.txt)", stdout, StringComparison.Ordinal);
        Assert.Contains("search: ", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("cosine mean / min", stdout, StringComparison.Ordinal); // the table evaluates the text too

        // Every block at 4 of 12 heads is over budget (as the search measured it), so fewer heads than that are gone.
        var dropAll = double.Parse(Regex.Match(stdout, @"every layer at the requested level drops ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(dropAll > 0.05, $"all blocks drop {dropAll}: the budget would not bind");
        var pruning = JsonDocument.Parse(ModelFile.Load(output).Model.MetadataProps.Single(static p => p.Key == "pipelinegate.pruning").Value).RootElement;
        Assert.InRange(pruning.GetProperty("headsRemoved").GetInt32(), 1, 23);
        var search = JsonDocument.Parse(ModelFile.Load(output).Model.MetadataProps.Single(static p => p.Key == "pipelinegate.search").Value).RootElement;
        Assert.NotEmpty(search.GetProperty("layers").EnumerateObject());
        Assert.All(search.GetProperty("layers").EnumerateObject(), static l => Assert.StartsWith("attention at '", l.Name, StringComparison.Ordinal));

        // Measured again here on the written file: 1 − mean cosine of the sentence embeddings (last_hidden_state
        // mean-pooled over the attention mask, the gate's fidelity.cosine) on the same 16 sentences, one batch.
        using var original = InferenceSession.Create(model);
        using var written = InferenceSession.Create(output);
        using var data = TextDataset.Open(text, RealEncoder.MiniLmVocab, 64, null, [.. original.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray()))]);
        var batch = data.ReadBatch(0, data.Count).Inputs;
        var a = SentenceEmbeddings.Pool(written.Run(batch)["last_hidden_state"], batch["attention_mask"], "last_hidden_state").Chunk(384).ToArray();
        var b = SentenceEmbeddings.Pool(original.Run(batch)["last_hidden_state"], batch["attention_mask"], "last_hidden_state").Chunk(384).ToArray();
        var drop = 1 - a.Zip(b, static (x, y) => x.Zip(y, static (p, q) => p * q).Sum() / Math.Sqrt(x.Sum(static p => p * p) * y.Sum(static q => q * q))).Average();
        Assert.True(drop <= 0.05, $"written model drops {drop}");
        Assert.Equal(drop, search.GetProperty("drop").GetDouble(), 5);
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
