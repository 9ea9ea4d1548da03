using PipelineGate.Diagnostics;
using PipelineGate.Measure.Text;
using Xunit;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>Labelled sentence-pair CSV files: header optional, RFC 4180 quoting, every bad file coded where it is bad.</summary>
public sealed class SentencePairsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-pairs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "pairs.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private PipelineGateException Fails(string text) => Assert.Throws<PipelineGateException>(() => SentencePairs.Read(Write(text)));

    [Fact]
    public void A_header_is_optional_and_quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var withHeader = SentencePairs.Read(Write("s1,s2,score\nA man plays a guitar.,A man plays music.,4.2\r\n\n\"Yes, \"\"really\"\".\",\"Two\nlines\",0\n"));
        Assert.Equal(2, withHeader.Count);
        Assert.Equal(new SentencePair("A man plays a guitar.", "A man plays music.", 4.2, 2), withHeader[0]);
        Assert.Equal(("Yes, \"really\".", "Two\nlines", 0.0, 4), (withHeader[1].First, withHeader[1].Second, withHeader[1].Score, withHeader[1].Line));

        var without = SentencePairs.Read(Write("a,b,1.5\nc,d,-2e-1\n"));
        Assert.Equal([1.5, -0.2], without.Select(static p => p.Score));
    }

    [Theory]
    [InlineData("a,b,1\nc,d\n", 2, 1, "has 2 fields")]
    [InlineData("a,b,1\nc,d,e,2\n", 2, 1, "has 4 fields")]
    [InlineData("a,b,1\n,d,2\n", 2, 1, "A sentence of this pair is empty")]
    [InlineData("a,b,1\n\"c,d,2\n", 2, 1, "closing quote never comes")]
    public void PG2053_a_record_that_is_not_a_pair(string text, int line, int column, string message)
    {
        var d = Fails(text).Diagnostic;
        Assert.Equal((PgCode.SentencePairRowInvalid, line, column), (d.Code, d.Line, d.Column));
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,1\nc,d,high\n", 2, 5, "'high'")]
    [InlineData("s1,s2,score\na,b,1\ns1,s2,score\n", 3, 7, "'score'")] // only the first record may be a header
    [InlineData("a,b,1\nc,d,NaN\n", 2, 5, "'NaN'")]
    [InlineData("a,b,1\nc,d,\n", 2, 5, "''")]
    public void PG2054_a_score_that_is_not_a_finite_number(string text, int line, int column, string message)
    {
        var d = Fails(text).Diagnostic;
        Assert.Equal((PgCode.SentencePairScoreInvalid, line, column), (d.Code, d.Line, d.Column));
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "no pairs")]
    [InlineData("\n\n", "no pairs")]
    [InlineData("s1,s2,score\n", "no pairs")]
    [InlineData("a,b,3\n", "one pair")]
    [InlineData("a,b,3\nc,d,3\ne,f,3\n", "All 3 pairs have the score 3")]
    public void PG2055_nothing_to_rank(string text, string message)
    {
        var d = Fails(text).Diagnostic;
        Assert.Equal(PgCode.SentencePairsTooFew, d.Code);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_non_utf8_files_use_the_text_codes()
    {
        Assert.Equal(PgCode.DataNotFound, Assert.Throws<PipelineGateException>(() => SentencePairs.Read(Path.Combine(_dir, "none.csv"))).Diagnostic.Code);
        var path = Path.Combine(_dir, "latin1.csv");
        File.WriteAllBytes(path, [(byte)'a', (byte)',', 0xE9, (byte)',', (byte)'1', (byte)'\n']);
        Assert.Equal(PgCode.TextFileNotUtf8, Assert.Throws<PipelineGateException>(() => SentencePairs.Read(path)).Diagnostic.Code);
    }
}
