using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace PipelineGate.Measure.Text;

/// <summary>
/// BERT WordPiece tokenization through Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>, set up from a
/// <see cref="WordPieceVocabulary"/>: [CLS] tokens [SEP], truncated to a maximum length with the [SEP] kept.
/// <para>
/// Its own pre-tokenizer splits words from <c>\w+|\p{P}</c> matches and drops everything else, so ASCII symbols
/// that BERT counts as punctuation (<c>$ + &lt; = &gt; ^ ` | ~</c>) and every other symbol (☃, emoji) vanished
/// from the ids (seen against @huggingface/transformers on "$5.00", "&lt;maybe&gt;", "a=b"; 2.0.1 and 3.0.0 alike).
/// The pre-tokenizer here is BERT's own rule instead: a punctuation character (ASCII 33–47, 58–64, 91–96,
/// 123–126, or Unicode category P) is a word of its own, and any other run of non-space characters is a word.
/// </para>
/// <para>
/// Its normalizer also recomposes what NFD split, so Hangul syllables stayed whole (and [UNK]) where BERT keeps
/// the NFD jamo. BERT's normalization is therefore done here (<see cref="Normalize"/>) and the library only
/// pre-tokenizes and finds the word pieces.
/// </para>
/// </summary>
public sealed partial class TextTokenizer
{
    private readonly BertTokenizer _tokenizer;

    public TextTokenizer(WordPieceVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Tokens.Count; id++)
        {
            if (vocabulary.Tokens[id] is "[CLS]" or "[SEP]" or "[PAD]" or "[UNK]" or "[MASK]")
            {
                specials[vocabulary.Tokens[id]] = id;
            }
        }

        using var stream = vocabulary.ToVocabStream();
        _tokenizer = BertTokenizer.Create(stream, new BertOptions
        {
            PreTokenizer = new RegexPreTokenizer(BertWords(), specials),
            LowerCaseBeforeTokenization = vocabulary.LowerCase,
            RemoveNonSpacingMarks = false,
            IndividuallyTokenizeCjk = vocabulary.SplitCjk,
            ApplyBasicTokenization = true,
            MaxInputCharsPerWord = vocabulary.MaxInputCharsPerWord,
        });
    }

    public WordPieceVocabulary Vocabulary { get; }

    public int PadId => _tokenizer.PaddingTokenId;

    public int ClsId => _tokenizer.ClassificationTokenId;

    public int SepId => _tokenizer.SeparatorTokenId;

    /// <summary>Token ids of one text with [CLS] and [SEP], untruncated.</summary>
    public IReadOnlyList<int> Encode(string text) =>
        _tokenizer.EncodeToIds(Normalize(text), addSpecialTokens: true, considerPreTokenization: true, considerNormalization: false);

    /// <summary>
    /// Token ids of one text with [CLS] and [SEP], at most <paramref name="maxLength"/> of them (the last one stays
    /// [SEP], as BERT's own truncation does); <paramref name="truncated"/> says whether tokens were dropped.
    /// </summary>
    public int[] Encode(string text, int maxLength, out bool truncated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = Encode(text);
        truncated = ids.Count > maxLength;
        if (!truncated)
        {
            return [.. ids];
        }

        var kept = new int[maxLength];
        for (var i = 0; i < maxLength - 1; i++)
        {
            kept[i] = ids[i];
        }

        kept[^1] = SepId;
        return kept;
    }

    /// <summary>
    /// BERT's normalization: drop NUL, U+FFFD and other control characters; white space becomes a space; CJK
    /// ideographs get spaces around them; then lower-case and strip accents (NFD, non-spacing marks dropped) as
    /// the vocabulary says.
    /// </summary>
    internal string Normalize(string text)
    {
        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value is '\t' or '\n' or '\r' || category == UnicodeCategory.SpaceSeparator)
            {
                cleaned.Append(' ');
            }
            else if (rune.Value is 0 or 0xFFFD || category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
            {
                continue;
            }
            else if (Vocabulary.SplitCjk && IsCjk(rune.Value))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                cleaned.Append(rune.ToString());
            }
        }

        var result = Vocabulary.LowerCase ? cleaned.ToString().ToLowerInvariant() : cleaned.ToString();
        if (!Vocabulary.StripAccents)
        {
            return result;
        }

        var decomposed = result.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    /// <summary>The CJK Unified Ideographs blocks BERT isolates (not Hangul, Hiragana or Katakana).</summary>
    private static bool IsCjk(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    [GeneratedRegex(@"[!-/:-@\[-`{-~\p{P}]|[^\s!-/:-@\[-`{-~\p{P}]+", RegexOptions.CultureInvariant)]
    private static partial Regex BertWords();
}
