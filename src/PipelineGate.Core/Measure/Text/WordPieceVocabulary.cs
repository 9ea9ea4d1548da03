using System.Text;
using System.Text.Json;
using PipelineGate.Diagnostics;

namespace PipelineGate.Measure.Text;

/// <summary>
/// A BERT WordPiece vocabulary and its normalization settings, read from a <c>vocab.txt</c> (one token per
/// line, the line number is the id; uncased BERT settings) or from a Hugging Face <c>tokenizer.json</c> whose
/// model is WordPiece (its vocabulary and its BertNormalizer settings). Either way the special tokens BERT
/// inputs are built from must be there.
/// </summary>
public sealed class WordPieceVocabulary
{
    /// <summary>The special tokens a BERT-class input needs: [CLS] text [SEP], padded with [PAD], [UNK] for the rest.</summary>
    public static readonly IReadOnlyList<string> RequiredTokens = ["[CLS]", "[SEP]", "[PAD]", "[UNK]"];

    private WordPieceVocabulary(string source, string[] tokens, bool lowerCase, bool stripAccents, bool cjk, int maxCharsPerWord)
    {
        Source = source;
        Tokens = tokens;
        LowerCase = lowerCase;
        StripAccents = stripAccents;
        SplitCjk = cjk;
        MaxInputCharsPerWord = maxCharsPerWord;
    }

    /// <summary>The file it was read from.</summary>
    public string Source { get; }

    /// <summary>Tokens by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public bool LowerCase { get; }

    /// <summary>Accents removed (NFD, non-spacing marks dropped); BERT does it whenever it lower-cases unless told otherwise.</summary>
    public bool StripAccents { get; }

    /// <summary>Every CJK ideograph a word of its own.</summary>
    public bool SplitCjk { get; }

    /// <summary>Longer words become [UNK] whole (BERT: 100; the published WordPiece algorithm).</summary>
    public int MaxInputCharsPerWord { get; }

    /// <summary>Reads <paramref name="path"/>: <c>.json</c> as tokenizer.json, anything else as vocab.txt.</summary>
    public static WordPieceVocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new PipelineGateException(PgCode.TokenizerFileInvalid, $"The tokenizer file was not found at {Path.GetFullPath(path)}.", path,
                hint: "Point 'tokenizer' (or --tokenizer) at the model's vocab.txt or tokenizer.json; relative paths resolve against the config's folder.");
        }

        var vocabulary = string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase) ? FromTokenizerJson(path) : FromVocabTxt(path);
        var present = new HashSet<string>(vocabulary.Tokens, StringComparer.Ordinal);
        var missing = RequiredTokens.Where(t => !present.Contains(t)).ToArray();
        if (missing.Length > 0)
        {
            throw new PipelineGateException(PgCode.TokenizerVocabularyInvalid,
                $"The vocabulary ({vocabulary.Tokens.Count} tokens) has no {string.Join(", ", missing)}; a BERT-class input is [CLS] tokens [SEP], padded with [PAD], and unknown words map to [UNK].",
                path, hint: "Use the vocabulary the model was trained with (the vocab.txt or tokenizer.json published beside it); a vocabulary of another tokenizer family (BPE, SentencePiece) is not supported.");
        }

        return vocabulary;
    }

    private static WordPieceVocabulary FromVocabTxt(string path)
    {
        var tokens = new List<string>();
        var line = 0;
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            while (reader.ReadLine() is { } token)
            {
                line++;
                tokens.Add(token);
            }
        }
        catch (DecoderFallbackException)
        {
            throw new PipelineGateException(PgCode.TokenizerFileInvalid, $"The vocabulary is not UTF-8 text (near line {line + 1}).", path, line + 1,
                hint: "A vocab.txt holds one UTF-8 token per line; check that this is the model's vocabulary and not a binary file.");
        }

        return new WordPieceVocabulary(path, [.. tokens], lowerCase: true, stripAccents: true, cjk: true, maxCharsPerWord: 100);
    }

    private static WordPieceVocabulary FromTokenizerJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("model", out var model) || !model.TryGetProperty("type", out var type) || type.GetString() != "WordPiece" || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            {
                var kind = root.TryGetProperty("model", out var m) && m.TryGetProperty("type", out var t) ? t.GetString() : "no model type";
                throw new PipelineGateException(PgCode.TokenizerFileInvalid, $"The tokenizer.json's model is '{kind}', not WordPiece with a vocabulary; text evaluation data supports BERT-class WordPiece tokenizers.", path,
                    hint: "Use a BERT-class encoder's tokenizer.json (model.type WordPiece) or its vocab.txt.");
            }

            var entries = vocab.EnumerateObject().Select(static p => (p.Name, Id: p.Value.GetInt32())).ToArray();
            var tokens = new string[entries.Length == 0 ? 0 : entries.Max(static e => e.Id) + 1];
            foreach (var (name, id) in entries)
            {
                tokens[id] = name;
            }

            var hole = Array.FindIndex(tokens, static t => t is null);
            if (hole >= 0 || DistinctIds(entries) != tokens.Length)
            {
                throw new PipelineGateException(PgCode.TokenizerFileInvalid, $"The tokenizer.json's vocabulary does not number its {entries.Length} tokens 0..{entries.Length - 1} (id {Math.Max(hole, 0)} is missing or repeated).", path,
                    hint: "Regenerate the tokenizer.json with the library that trained the model.");
            }

            var lower = true;
            var strip = (bool?)null;
            var cjk = true;
            if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object)
            {
                lower = !normalizer.TryGetProperty("lowercase", out var l) || l.ValueKind != JsonValueKind.False;
                strip = normalizer.TryGetProperty("strip_accents", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null;
                cjk = !normalizer.TryGetProperty("handle_chinese_chars", out var c) || c.ValueKind != JsonValueKind.False;
            }

            var maxChars = model.TryGetProperty("max_input_chars_per_word", out var mc) && mc.TryGetInt32(out var n) ? n : 100;
            return new WordPieceVocabulary(path, tokens, lower, strip ?? lower, cjk, maxChars);
        }
        catch (JsonException ex)
        {
            throw new PipelineGateException(PgCode.TokenizerFileInvalid, $"The tokenizer.json is not valid JSON: {ex.Message}", path, (int?)(ex.LineNumber + 1),
                hint: "Use the tokenizer.json published with the model, or its vocab.txt.");
        }

        static int DistinctIds((string Name, int Id)[] entries) => entries.Select(static e => e.Id).Distinct().Count();
    }

    /// <summary>The vocabulary as vocab.txt bytes (one token per line), which is what the tokenizer library reads.</summary>
    internal MemoryStream ToVocabStream()
    {
        var text = string.Join('\n', Tokens) + "\n";
        return new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
    }
}
