using System.Text.Json;
using PipelineGate.Measure.Statistics;
using PipelineGate.Measure.Text;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// <c>pipelinegate eval &lt;model&gt; --pairs FILE --tokenizer FILE</c> on the real all-MiniLM-L6-v2 and the word-overlap pair
/// set of the Core tests (scores by a stated rule, not human judgments): it prints ρ, writes what the Core code
/// computes in this process, and with <c>--reference</c> the paired change.
/// </summary>
public sealed class EvalPairsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-eval-pairs-").FullName;
    private readonly string _pairs = RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/pairs/prefix-pairs.csv");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Eval_with_pairs_alone_prints_and_writes_rho_and_against_itself_a_zero_change()
    {
        var json = Path.Combine(_dir, "eval.json");
        var r = CliProcess.Run(_dir, "eval", RealEncoder.MiniLmModel, "--pairs", _pairs, "--tokenizer", RealEncoder.MiniLmVocab,
            "--reference", RealEncoder.MiniLmModel, "--json", json);

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var pairs = SentencePairs.Read(_pairs);
        var expected = PairSimilarity.Evaluate(RealEncoder.MiniLmModel, pairs, _pairs, RealEncoder.MiniLmVocab, 128, SessionConfig.Default with { IntraOpThreads = 1 });
        var interval = SpearmanBootstrap.Interval(expected.Cosines, pairs.Select(static p => p.Score).ToArray());
        Assert.Contains("similarity: Spearman rho", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("similarity: rho vs reference", r.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{expected.Spearman:0.0000} (95% CI {interval.Lower:0.0000} … {interval.Upper:0.0000}, 36 pairs)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("embedding 36 sentence pairs with", r.StdErr, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("similarity.spearman", root.GetProperty("metric").GetString());
        Assert.Equal(36, root.GetProperty("samples").GetInt32());
        var s = root.GetProperty("similarity");
        Assert.Equal(expected.Spearman, s.GetProperty("spearman").GetDouble(), 12);
        Assert.Equal(interval.Lower, s.GetProperty("lower").GetDouble(), 12);
        Assert.Equal(expected.Spearman, s.GetProperty("referenceSpearman").GetDouble(), 12);
        Assert.Equal(0.0, s.GetProperty("difference").GetDouble());
        Assert.Equal(0.0, s.GetProperty("differenceLower").GetDouble());
        Assert.Equal(0.0, s.GetProperty("differenceUpper").GetDouble());
    }

    [Fact]
    public void Eval_with_pairs_but_no_tokenizer_is_a_usage_error()
    {
        var r = CliProcess.Run(_dir, "eval", RealEncoder.MiniLmModel, "--pairs", _pairs);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--pairs needs --tokenizer", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_with_a_malformed_pairs_file_names_its_code_and_line()
    {
        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "s1,s2,score\na,b,1\nc,d,lots\n");

        var r = CliProcess.Run(_dir, "eval", RealEncoder.MiniLmModel, "--pairs", bad, "--tokenizer", RealEncoder.MiniLmVocab);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG2054", r.StdOut + r.StdErr, StringComparison.Ordinal);
        Assert.Contains("bad.csv(3,5)", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }
}
