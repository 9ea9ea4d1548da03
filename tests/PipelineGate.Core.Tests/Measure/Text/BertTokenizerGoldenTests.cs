using System.Text.Json;
using PipelineGate.Measure.Text;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>
/// The tokenizer text data goes through (Microsoft.ML.Tokenizers' BertTokenizer on MiniLM's vocabulary) against
/// two independent implementations: token ids that @huggingface/transformers 4.3.1 produced (committed in
/// TestData/text/minilm-golden-ids.json by make-golden-ids.mjs) and a WordPiece written here from the published
/// BERT algorithm, on 693 real cookies of Debian's fortunes-min and on 16 lines of accents, CJK, punctuation,
/// unknown symbols and over-long words.
/// </summary>
public sealed class BertTokenizerGoldenTests
{
    private static readonly string TextData = RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/text");

    [Fact]
    public void Vocab_txt_gives_the_ids_of_huggingface_transformers_on_real_text_and_hard_cases()
    {
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        AssertGolden(tokenizer);
    }

    [Fact]
    public void Tokenizer_json_gives_the_same_ids()
    {
        var json = Path.Combine(Path.GetTempPath(), $"pg-tokenizer-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(json, TokenizerJson(File.ReadAllLines(RealEncoder.MiniLmVocab)));
            var vocabulary = WordPieceVocabulary.Load(json);
            Assert.True(vocabulary.LowerCase);
            Assert.True(vocabulary.StripAccents);
            AssertGolden(new TextTokenizer(vocabulary));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void The_reference_wordpiece_written_from_the_bert_algorithm_agrees_token_for_token()
    {
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var reference = new ReferenceWordPiece(RealEncoder.MiniLmVocab);
        var sentences = RealText.Cookies.Concat(File.ReadAllLines(Path.Combine(TextData, "tricky-sentences.txt")).Where(static l => l.Length > 0)).ToArray();
        Assert.True(sentences.Length >= 700);
        var unknown = 0;
        foreach (var s in sentences)
        {
            var expected = reference.Encode(s);
            Assert.Equal(expected, tokenizer.Encode(s));
            unknown += expected.Count(static id => id == 100);
        }

        Assert.True(unknown >= 5, $"the hard cases should reach [UNK] (emoji, symbols, the 106-letter word); saw {unknown}");
    }

    [Fact]
    public void Truncation_keeps_sep_last()
    {
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var longest = RealText.Cookies.MaxBy(static c => c.Length)!;
        var full = tokenizer.Encode(longest);
        var cut = tokenizer.Encode(longest, 16, out var truncated);
        Assert.True(truncated);
        Assert.Equal(16, cut.Length);
        Assert.Equal(full.Take(15), cut.Take(15));
        Assert.Equal(tokenizer.SepId, cut[^1]);
        Assert.Equal(full, tokenizer.Encode(longest, full.Count, out var whole));
        Assert.False(whole);
    }

    private static void AssertGolden(TextTokenizer tokenizer)
    {
        using var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TextData, "minilm-golden-ids.json")));
        var tricky = golden.RootElement.GetProperty("tricky").EnumerateArray().ToArray();
        Assert.Equal(16, tricky.Length);
        foreach (var t in tricky)
        {
            var text = t.GetProperty("text").GetString()!;
            Assert.Equal(Ids(t), tokenizer.Encode(text));
        }

        var cookies = RealText.Cookies;
        var expected = golden.RootElement.GetProperty("cookies").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, cookies.Count);
        Assert.True(cookies.Count >= 200);
        for (var i = 0; i < cookies.Count; i++)
        {
            Assert.Equal(Ids(expected[i]), tokenizer.Encode(cookies[i]));
        }
    }

    private static int[] Ids(JsonElement e) => e.GetProperty("ids").EnumerateArray().Select(static x => x.GetInt32()).ToArray();

    /// <summary>A Hugging Face tokenizer.json for an uncased BERT WordPiece vocabulary (what make-tokenizer-json.mjs writes).</summary>
    internal static string TokenizerJson(IReadOnlyList<string> vocab, string modelType = "WordPiece")
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < vocab.Count; i++)
        {
            map[vocab[i]] = i;
        }

        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["normalizer"] = new Dictionary<string, object?> { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true },
            ["pre_tokenizer"] = new Dictionary<string, object?> { ["type"] = "BertPreTokenizer" },
            ["model"] = new Dictionary<string, object?> { ["type"] = modelType, ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = map },
        });
    }
}
