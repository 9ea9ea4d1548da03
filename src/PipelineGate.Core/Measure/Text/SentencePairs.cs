using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;

namespace PipelineGate.Measure.Text;

/// <summary>One labelled pair: two sentences and the similarity a person gave them (any scale; only its order counts).</summary>
public sealed record SentencePair(string First, string Second, double Score, int Line);

/// <summary>
/// Reads labelled sentence pairs for <c>similarity.spearman</c>: a UTF-8 CSV file of <c>s1,s2,score</c> records
/// (RFC 4180: a field with a comma, quote or line break is quoted, a quote inside doubled), blank lines skipped.
/// A header is optional: a first record whose score is not a number is taken as one. Every other record must have
/// exactly three fields (PG2053) and a finite number as its score, with '.' as the decimal point (PG2054); fewer
/// than two pairs, or scores all equal, leave nothing to rank (PG2055).
/// </summary>
public static class SentencePairs
{
    private const string WhereHint = "Check the 'pairs' path (relative paths resolve against the config's folder).";

    public static IReadOnlyList<SentencePair> Read(string path)
    {
        var (text, _) = TextLines.ReadUtf8(path, "sentence-pair file", WhereHint);
        var reader = new CsvRecordReader(new StringReader(text), ',', path);
        var pairs = new List<SentencePair>();
        var first = true;
        while (Next(reader, path) is { } record)
        {
            var isFirst = first;
            first = false;
            if (record.Count != 3)
            {
                throw new PipelineGateException(PgCode.SentencePairRowInvalid,
                    $"This record has {record.Count} field{(record.Count == 1 ? "" : "s")}; a sentence pair is exactly three: s1,s2,score.", path, record[0].Line, record[0].Column,
                    hint: "Quote a sentence that contains a comma (\"like, this\"), and double a quote inside a quoted field (\"\").");
            }

            var score = record[2];
            if (!double.TryParse(score.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                if (isFirst)
                {
                    continue; // the header
                }

                throw new PipelineGateException(PgCode.SentencePairScoreInvalid,
                    $"The score '{score.Text}' is not a number; the third field of a sentence pair is its similarity score (e.g. 3.8).", path, score.Line, score.Column,
                    hint: "Write the score with '.' as the decimal point and no thousands separator; only the first record may be a header.");
            }

            if (string.IsNullOrWhiteSpace(record[0].Text) || string.IsNullOrWhiteSpace(record[1].Text))
            {
                var blank = string.IsNullOrWhiteSpace(record[0].Text) ? record[0] : record[1];
                throw new PipelineGateException(PgCode.SentencePairRowInvalid, "A sentence of this pair is empty.", path, blank.Line, blank.Column,
                    hint: "Give both sentences of every pair, or remove the record.");
            }

            pairs.Add(new SentencePair(record[0].Text, record[1].Text, value, record[0].Line));
        }

        if (pairs.Count < 2 || pairs.All(p => p.Score == pairs[0].Score))
        {
            throw new PipelineGateException(PgCode.SentencePairsTooFew,
                pairs.Count < 2
                    ? $"The sentence-pair file holds {(pairs.Count == 0 ? "no pairs" : "one pair")}; a rank correlation needs at least two, with different scores."
                    : $"All {pairs.Count} pairs have the score {pairs[0].Score.ToString(CultureInfo.InvariantCulture)}, so there is no ranking to correlate with.",
                path, hint: "Use a labelled set with a range of scores, such as STS-B or SICK pairs (hundreds of pairs give a stable correlation).");
        }

        return pairs;
    }

    private static List<CsvField>? Next(CsvRecordReader reader, string path)
    {
        try
        {
            return reader.Next();
        }
        catch (PipelineGateException ex) when (ex.Diagnostic.Code == PgCode.TensorFileInvalid)
        {
            // The CSV reader's own error (an unclosed quote) is a bad record of this file.
            var d = ex.Diagnostic;
            throw new PipelineGateException(PgCode.SentencePairRowInvalid, d.Message, path, d.Line, d.Column, hint: d.Hint);
        }
    }
}
