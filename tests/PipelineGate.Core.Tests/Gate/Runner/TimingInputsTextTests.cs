using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Text;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// A text encoder is timed on its first real sentence, tokenized as evaluation tokenizes it. Before, the timing
/// inputs opened the text file without its tokenizer, so the model's int64 token inputs were missing (PG2024).
/// </summary>
public sealed class TimingInputsTextTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-timing-text-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Text_data_is_tokenized_into_the_token_inputs()
    {
        Directory.CreateDirectory(_dir);
        var text = Path.Combine(_dir, "sentences.txt");
        File.WriteAllLines(text, ["A classic is something that everyone wants to have read and nobody wants to read.", "A horse! A horse! My kingdom for a horse!"]);
        var data = new DataConfig(text, "sentences.txt", null, new Dictionary<string, string>(StringComparer.Ordinal), null, new SourceLocation(Path.Combine(_dir, "pipelinegate.yml"), 1, 1))
        {
            Tokenizer = RealEncoder.MiniLmVocab,
        };

        var inputs = TimingInputs.From(RealEncoder.MiniLmModel, data, SessionConfig.Default);

        Assert.NotNull(inputs);
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], inputs.Keys.Order(StringComparer.Ordinal));
        var ids = inputs["input_ids"];
        Assert.Equal(TensorElementType.Int64, ids.ElementType);
        Assert.Equal(1, ids.Shape[0]); // one sentence: the model's batch dimension is symbolic
        var row = ids.AsSpan<long>().ToArray();
        Assert.Equal(101, row[0]);   // [CLS]
        Assert.Equal(102, row[^1]);  // [SEP]
        Assert.Equal(Enumerable.Repeat(1L, row.Length), inputs["attention_mask"].AsSpan<long>().ToArray());
    }

    [Fact]
    public void Labelled_pairs_alone_are_timed_with_the_first_sentence_of_the_first_pair()
    {
        Directory.CreateDirectory(_dir);
        var location = new SourceLocation(Path.Combine(_dir, "pipelinegate.yml"), 1, 1);
        var pairsPath = RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/pairs/prefix-pairs.csv");
        var pairs = new PairsConfig(pairsPath, "prefix-pairs.csv", RealEncoder.MiniLmVocab, location);

        // The same sentence alone in a text file, timed through the data path. It is taken from the file without the
        // pairs parser: the first record is the header, and the first sentence of the first pair has no comma or quote.
        var sentence = File.ReadLines(pairsPath).Skip(1).First().Split(',')[0];
        var text = Path.Combine(_dir, "first.txt");
        File.WriteAllLines(text, [sentence]);
        var data = new DataConfig(text, "first.txt", null, new Dictionary<string, string>(StringComparer.Ordinal), null, location) { Tokenizer = RealEncoder.MiniLmVocab };

        // What the gate passes: the first pair of the similarity evaluation's read of the file.
        var fromPairs = TimingInputs.From(RealEncoder.MiniLmModel, null, pairs, SentencePairs.Read(pairsPath)[0], SessionConfig.Default);
        var fromText = TimingInputs.From(RealEncoder.MiniLmModel, data, SessionConfig.Default);

        Assert.NotNull(fromPairs);
        Assert.NotNull(fromText);
        Assert.Equal(fromText.Keys.Order(StringComparer.Ordinal), fromPairs.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in fromText)
        {
            Assert.Equal(expected.ElementType, fromPairs[name].ElementType);
            Assert.Equal(expected.Shape.ToArray(), fromPairs[name].Shape.ToArray());
            Assert.Equal(expected.Bytes.ToArray(), fromPairs[name].Bytes.ToArray());
        }

        Assert.True(fromPairs["input_ids"].Shape[^1] > 20, "a whole sentence, not the header's 's1'");
    }

    [Fact]
    public void A_malformed_later_pair_still_fails_the_gate_with_PG2053_at_its_record()
    {
        using var w = new MiniLmPairsWorkspace("pg-timing-pairs-");
        var lines = File.ReadAllLines(w.PairsPath);
        lines[^3] = "only two,fields";
        File.WriteAllLines(w.PairsPath, lines);
        w.WritePairsOnlyConfig("""
                budgets:
                  - { metric: similarity.spearman, min: 0.5 }
            """);

        var ex = Assert.Throws<PipelineGateException>(() => GateRunner.Run(ConfigLoader.Load(w.ConfigPath), new GateRunOptions { WorkDirectory = w.WorkDirectory, ToolVersion = "test" }));

        Assert.Equal((PgCode.SentencePairRowInvalid, w.PairsPath, lines.Length - 2, 1), (ex.Diagnostic.Code, ex.Diagnostic.File, ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("has 2 fields", ex.Diagnostic.Message, StringComparison.Ordinal);
    }
}
