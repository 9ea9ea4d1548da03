using System.Globalization;
using System.Text;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>
/// An independent WordPiece tokenizer written from the published BERT algorithm (google-research/bert,
/// tokenization.py: BasicTokenizer then WordpieceTokenizer), uncased: clean the text (drop NUL, U+FFFD and
/// control characters, map white space to a space), put spaces around CJK ideographs, split on white space,
/// lower-case, strip accents (NFD, drop non-spacing marks), split off every punctuation character, then
/// greedy longest-match-first word pieces with "##" continuations; a word longer than 100 characters or
/// with no match is [UNK]. It shares no code with the tokenizer under test.
/// </summary>
internal sealed class ReferenceWordPiece
{
    private readonly Dictionary<string, int> _vocab = new(StringComparer.Ordinal);

    public ReferenceWordPiece(string vocabPath)
    {
        var id = 0;
        foreach (var line in File.ReadAllLines(vocabPath))
        {
            _vocab[line] = id++;
        }
    }

    public int[] Encode(string text)
    {
        var ids = new List<int> { _vocab["[CLS]"] };
        foreach (var word in Basic(text))
        {
            ids.AddRange(WordPieces(word));
        }

        ids.Add(_vocab["[SEP]"]);
        return [.. ids];
    }

    private static IEnumerable<string> Basic(string text)
    {
        var cleaned = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhiteSpace(rune))
            {
                cleaned.Append(' ');
            }
            else if (IsCjk(cp))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                cleaned.Append(rune.ToString());
            }
        }

        foreach (var token in cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var lowered = StripAccents(token.ToLowerInvariant());
            var current = new StringBuilder();
            foreach (var rune in lowered.EnumerateRunes())
            {
                if (IsPunctuation(rune))
                {
                    if (current.Length > 0)
                    {
                        yield return current.ToString();
                        current.Clear();
                    }

                    yield return rune.ToString();
                }
                else
                {
                    current.Append(rune.ToString());
                }
            }

            if (current.Length > 0)
            {
                yield return current.ToString();
            }
        }
    }

    private IEnumerable<int> WordPieces(string word)
    {
        var runes = word.EnumerateRunes().Select(static r => r.ToString()).ToArray();
        if (runes.Length > 100)
        {
            return [_vocab["[UNK]"]];
        }

        var pieces = new List<int>();
        var start = 0;
        while (start < runes.Length)
        {
            var end = runes.Length;
            int? found = null;
            while (start < end)
            {
                var piece = string.Concat(runes[start..end]);
                if (start > 0)
                {
                    piece = "##" + piece;
                }

                if (_vocab.TryGetValue(piece, out var id))
                {
                    found = id;
                    break;
                }

                end--;
            }

            if (found is null)
            {
                return [_vocab["[UNK]"]];
            }

            pieces.Add(found.Value);
            start = end;
        }

        return pieces;
    }

    private static string StripAccents(string text)
    {
        var result = new StringBuilder();
        foreach (var rune in text.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }

    private static bool IsWhiteSpace(Rune r) => r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune r) =>
        r.Value is not ('\t' or '\n' or '\r') && Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    private static bool IsPunctuation(Rune r)
    {
        var cp = r.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
