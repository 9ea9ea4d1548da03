using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>Text evaluation data on the real all-MiniLM-L6-v2: batching, coded bad input, and int8 fidelity on real sentences.</summary>
public sealed class TextDataTests : IDisposable
{
    private static readonly (string, TensorElementType, long[])[] BertInputs =
    [
        ("input_ids", TensorElementType.Int64, [-1, -1]),
        ("attention_mask", TensorElementType.Int64, [-1, -1]),
        ("token_type_ids", TensorElementType.Int64, [-1, -1]),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_batch_is_padded_to_its_longest_line_with_mask_and_token_types()
    {
        var text = Write("s.txt", "A horse!\n\nMy kingdom for a horse, said the king of the castle.\n");
        using var set = TextDataset.Open(text, RealEncoder.MiniLmVocab, 128, 512, BertInputs);
        Assert.Equal(2, set.Count); // the blank line is skipped
        var batch = set.ReadBatch(0, 2);
        var ids = batch.Inputs["input_ids"];
        var length = (int)ids.Shape[1];
        Assert.Equal(set.Row(1).Count, length);
        var values = ids.AsSpan<long>().ToArray();
        var mask = batch.Inputs["attention_mask"].AsSpan<long>().ToArray();
        Assert.Equal(set.Row(0).Select(static i => (long)i), values[..set.Row(0).Count]);
        Assert.All(values[set.Row(0).Count..length], static v => Assert.Equal(0, v)); // [PAD] is 0 in BERT's vocabulary
        Assert.Equal(set.Row(0).Count, mask[..length].Sum());
        Assert.Equal(length, mask[length..].Sum());
        Assert.All(batch.Inputs["token_type_ids"].AsSpan<long>().ToArray(), static v => Assert.Equal(0, v));
    }

    [Fact]
    public void An_empty_text_file_is_PG2027()
    {
        var error = Open(Write("empty.txt", ""));
        Assert.Equal(PgCode.TextFileEmpty, error.Code);
        Assert.Equal(PgCode.TextFileEmpty, Open(Write("blank.txt", "\n  \n\t\n")).Code);
    }

    [Fact]
    public void Latin1_text_is_PG2028_with_its_line()
    {
        var path = Path.Combine(_dir, "latin1.txt");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes("first line\nsecond line\nthe caf\u00e9 is here\n"));
        var error = Open(path);
        Assert.Equal(PgCode.TextFileNotUtf8, error.Code);
        Assert.Equal(3, error.Diagnostic.Line);
    }

    [Fact]
    public void A_vocabulary_without_cls_and_sep_is_PG2029()
    {
        var vocab = Write("vocab.txt", string.Join('\n', File.ReadAllLines(RealEncoder.MiniLmVocab).Where(static t => t is not ("[CLS]" or "[SEP]"))));
        var error = Assert.Throws<PipelineGateException>(() => TextDataset.Open(Write("s.txt", "hello\n"), vocab, 128, 512, BertInputs));
        Assert.Equal(PgCode.TokenizerVocabularyInvalid, error.Code);
        Assert.Contains("[CLS], [SEP]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bpe_tokenizer_json_or_a_missing_file_is_PG2042()
    {
        var bpe = Write("tokenizer.json", BertTokenizerGoldenTests.TokenizerJson(["[CLS]", "[SEP]"], "BPE"));
        Assert.Equal(PgCode.TokenizerFileInvalid, Assert.Throws<PipelineGateException>(() => WordPieceVocabulary.Load(bpe)).Code);
        Assert.Equal(PgCode.TokenizerFileInvalid, Assert.Throws<PipelineGateException>(() => WordPieceVocabulary.Load(Path.Combine(_dir, "none.txt"))).Code);
    }

    [Fact]
    public void A_max_length_past_the_models_position_table_is_PG2040()
    {
        Assert.Equal(512, PositionTable.Rows(RealEncoder.MiniLmModel));
        var data = new DataConfig(Write("s.txt", "A horse!\n"), "s.txt", null, new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1))
        {
            Tokenizer = RealEncoder.MiniLmVocab,
            MaxLength = 600,
        };
        var error = Assert.Throws<PipelineGateException>(() => ModelEvaluator.Evaluate(RealEncoder.MiniLmModel, data, "top1", SessionConfig.Default));
        Assert.Equal(PgCode.TextSequenceTooLong, error.Code);
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_token_inputs_is_PG2041()
    {
        var error = Assert.Throws<PipelineGateException>(() => TextDataset.Open(Write("s.txt", "hello\n"), RealEncoder.MiniLmVocab, 128, null, [("pixels", TensorElementType.Float, [-1, 64])]));
        Assert.Equal(PgCode.TextModelInputsUnsupported, error.Code);
    }

    [Fact]
    public void Dynamic_int8_minilm_with_int8_embeddings_keeps_its_sentence_embeddings_on_real_text()
    {
        var text = Write("cookies.txt", string.Join('\n', RealText.Cookies.Take(160)));
        var data = new DataConfig(text, "cookies.txt", null, new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1)) { Tokenizer = RealEncoder.MiniLmVocab };
        var session = SessionConfig.Default with { IntraOpThreads = 1 };

        var original = ModelFile.Load(RealEncoder.MiniLmModel);
        var quantized = Quantize(original, ("mode", "dynamic"));
        var path = Path.Combine(_dir, "minilm-int8.onnx");
        ModelWriter.Save(quantized.Model, path);
        Assert.Contains(quantized.Model.Model.Graph.Node, static n => n.OpType == "DequantizeLinear");
        var ratio = (double)new FileInfo(path).Length / new FileInfo(RealEncoder.MiniLmModel).Length;
        Assert.True(ratio <= 0.30, $"size ratio {ratio:0.000}");

        var reference = ModelEvaluator.Evaluate(RealEncoder.MiniLmModel, data, "top1", session);
        Assert.True(reference.Embeddings);
        Assert.Equal(384, reference.ScoresPerSample);
        Assert.Equal(160, reference.Samples);
        var self = reference.FidelityAgainst(reference)!;
        Assert.Equal(1.0, self.MinCosineSimilarity, 9);
        Assert.Equal(1.0, self.NearestNeighbourAgreement);

        var f = ModelEvaluator.Evaluate(path, data, "top1", session).FidelityAgainst(reference)!;
        Assert.True(f.MeanCosineSimilarity >= 0.99, $"mean cosine {f.MeanCosineSimilarity}");
        Assert.True(f.MinCosineSimilarity >= 0.98, $"min cosine {f.MinCosineSimilarity}");
        // Nearest neighbours among 160 unrelated quotations are often near ties, so small embedding changes swap
        // some (measured 0.825 here); chance would be 1/159.
        Assert.True(f.NearestNeighbourAgreement >= 0.75, $"nearest-neighbour agreement {f.NearestNeighbourAgreement}");
        Assert.True(f.MinCosineSimilarity < 1.0, "an 8-bit model that reproduces fp32 exactly was not quantized");
    }

    private PipelineGateException Open(string text) =>
        Assert.Throws<PipelineGateException>(() => TextDataset.Open(text, RealEncoder.MiniLmVocab, 128, 512, BertInputs));

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}
