using System.Globalization;
using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.EncoderFixtures;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize.Pruning;

/// <summary>
/// prune with max-drop for heads and ffn on the real all-MiniLM-L6-v2: each attention / FFN block is a search
/// layer, the search reads 16 real sentences as text (tokenized with the model's vocabulary), and the result is
/// measured again here (1 − mean cosine of the masked-mean sentence embeddings on the same batch: the gate's
/// fidelity.cosine and the search's default metric for an encoder's hidden states).
/// </summary>
public sealed class StructuredSearchTests : IDisposable
{
    private const int MaxLength = 64;

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-structured-search-").FullName;
    private readonly string _text;

    public StructuredSearchTests()
    {
        _text = Path.Combine(_dir, "cookies.txt");
        File.WriteAllLines(_text, RealText.Cookies.Take(16));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("heads", 0.34)]
    [InlineData("ffn", 0.3)]
    public void Each_block_is_searched_within_a_budget_that_pruning_every_block_exceeds_and_the_result_measures_within_it(string method, double sparsity)
    {
        var model = MiniLm();
        var requested = sparsity.ToString(CultureInfo.InvariantCulture);
        var plain = Prune(model, ("method", method), ("sparsity", requested));
        var dropAll = Drop(model, plain.Model);
        var budget = Math.Round(dropAll / 2, 5); // every block at the requested sparsity is then twice over budget

        var searched = new PruneStep().Apply(model, Step("prune", ("method", method), ("sparsity", requested), ("max-drop", budget.ToString(CultureInfo.InvariantCulture))), Context());

        // Measured again independently: within budget, and what the metadata says it measured.
        var drop = Drop(model, searched.Model);
        Assert.True(drop <= budget + 1e-6, $"{method}: searched drop {drop} > max-drop {budget} (every block: {dropAll})");
        var search = JsonDocument.Parse(searched.Model.Model.MetadataProps.Single(static p => p.Key == "pipelinegate.search").Value).RootElement;
        Assert.Equal(drop, search.GetProperty("drop").GetDouble(), 5);
        Assert.Equal(16, search.GetProperty("samples").GetInt32());

        // The chosen per-block ratios are the blocks' labels, in the metadata and the notes, and at least one block is pruned less than requested.
        var blocks = method == "heads" ? HeadPruner.Blocks(model) : FfnPruner.Blocks(model);
        var chosen = search.GetProperty("layers").EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value.GetDouble(), StringComparer.Ordinal);
        Assert.Equal(6, blocks.Count);
        Assert.NotEmpty(chosen);
        Assert.All(chosen.Keys, label => Assert.Contains(blocks, b => b.Label == label));
        Assert.All(chosen.Values, v => Assert.True(Math.Abs(v - sparsity) < 1e-9 || Math.Abs(v - (sparsity / 2)) < 1e-9, $"ratio {v}"));
        Assert.Contains(blocks, b => chosen.GetValueOrDefault(b.Label) < sparsity - 1e-9);
        var note = Assert.Single(searched.Notes, static n => n.Contains("accuracy-aware search (max-drop", StringComparison.Ordinal));
        Assert.All(chosen, c => Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:0.###} ("), note, StringComparison.Ordinal));

        // The graph holds what was chosen: a block left out keeps every unit, a chosen one loses some, never more than at the requested level.
        var unitsBefore = Units(method, model);
        var unitsPlain = Units(method, plain.Model);
        var unitsSearched = Units(method, searched.Model);
        foreach (var b in blocks)
        {
            if (chosen.ContainsKey(b.Label))
            {
                Assert.InRange(unitsSearched[b.Label], unitsPlain[b.Label], unitsBefore[b.Label] - 1);
            }
            else
            {
                Assert.Equal(unitsBefore[b.Label], unitsSearched[b.Label]);
            }
        }

        Assert.True(ChannelPruner.Parameters(plain.Model) < ChannelPruner.Parameters(searched.Model) && ChannelPruner.Parameters(searched.Model) < ChannelPruner.Parameters(model),
            $"parameters plain/searched/original {ChannelPruner.Parameters(plain.Model)}/{ChannelPruner.Parameters(searched.Model)}/{ChannelPruner.Parameters(model)}");
        Assert.Equal((0L, 0L), NonFinite(Run(searched.Model, Feed, "searched")["last_hidden_state"]));
    }

    [Fact]
    public void A_budget_no_block_can_meet_is_PG2043_and_no_model()
    {
        // Every removed head moves last_hidden_state, so no block fits a zero drop, even at half the sparsity.
        var e = Assert.Throws<PipelineGateException>(() =>
            new PruneStep().Apply(MiniLm(), Step("prune", ("method", "heads"), ("sparsity", "0.34"), ("max-drop", "0")), Context(limit: 4)));

        Assert.Equal(PgCode.SearchBudgetUnreachable, e.Code);
        Assert.Contains("prune (heads): no layer can be compressed within max-drop 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 − mean cosine similarity on 4 sample(s) of cookies.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("no model was written", e.Message, StringComparison.Ordinal);
    }

    private OptimizationContext Context(int? limit = null) =>
        new(_dir, new DataConfig(_text, "cookies.txt", null, new Dictionary<string, string>(), limit, new SourceLocation("test", 1, 1)) { Tokenizer = RealEncoder.MiniLmVocab, MaxLength = MaxLength });

    /// <summary>
    /// 1 − mean cosine of the sentence embeddings (last_hidden_state averaged over the tokens the attention mask marks),
    /// on the 16 sentences tokenized and padded as one batch (as the search reads them), computed here by hand.
    /// </summary>
    private double Drop(ModelFile original, ModelFile candidate)
    {
        using var probe = InferenceSession.Create(original.ToByteArray(), "probe");
        using var data = TextDataset.Open(_text, RealEncoder.MiniLmVocab, MaxLength, null, [.. probe.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray()))]);
        var batch = data.ReadBatch(0, data.Count).Inputs;
        var a = Run(candidate, batch, "candidate")["last_hidden_state"];
        var b = Run(original, batch, "original")["last_hidden_state"];
        var mask = batch["attention_mask"].ToDoubleArray();
        var (rows, sequence, hidden) = ((int)a.Shape[0], (int)a.Shape[1], (int)a.Shape[2]);
        double[] Mean(float[] values, int row)
        {
            var sum = new double[hidden];
            var tokens = 0;
            for (var t = 0; t < sequence; t++)
            {
                if (mask[(row * sequence) + t] == 0)
                {
                    continue;
                }

                tokens++;
                for (var h = 0; h < hidden; h++)
                {
                    sum[h] += values[(((row * sequence) + t) * hidden) + h];
                }
            }

            return [.. sum.Select(v => v / tokens)];
        }

        var (va, vb) = (a.ToFloatArray(), b.ToFloatArray());
        var cosines = Enumerable.Range(0, rows).Select(r =>
        {
            var (x, y) = (Mean(va, r), Mean(vb, r));
            return x.Zip(y, static (p, q) => p * q).Sum() / Math.Sqrt(x.Sum(static p => p * p) * y.Sum(static q => q * q));
        });
        return 1 - cosines.Average();
    }

    private static Dictionary<string, int> Units(string method, ModelFile model) => method == "heads"
        ? AttentionMatcher.Find(new GraphIndex(model), []).ToDictionary(static b => b.Label, static b => b.Heads, StringComparer.Ordinal)
        : FfnBlock.Find(new GraphIndex(model), []).ToDictionary(static b => b.Label, static b => b.Neurons, StringComparer.Ordinal);
}
