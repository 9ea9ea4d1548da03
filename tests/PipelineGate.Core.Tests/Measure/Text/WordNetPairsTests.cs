using PipelineGate.Measure.Text;
using PipelineGate.TestAssets.WordNet;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>
/// The WordNet sentence-pair asset: its data.noun parser and similarities on a hand-made five-synset file with
/// hand-computed values, the similarities on facts NLTK reports for the real WordNet 3.0, and the real 500-pair set.
/// </summary>
public sealed class WordNetPairsTests(ITestOutputHelper output) : IDisposable
{
    // root ─┬─ mid ── leaf          named is an instance (@i) of mid and a kind (@) of side: two parents.
    //       └─ side           named
    private static readonly string[] Snippet =
    [
        "  1 This software and database is a made-up licence line.",
        "00000001 03 n 01 root 0 000 | the top; \"an example, quoted\"  ",
        "00000002 03 n 01 mid 0 002 @ 00000001 n 0000 ~ 00000004 n 0000 | a middle thing  ",
        "00000003 03 n 02 side 0 other_side 1 001 @ 00000001 n 0000 | a side thing, with a \"comma\" inside  ",
        "00000004 03 n 01 leaf 0 002 @ 00000002 n 0000 + 00000099 v 0101 | a leaf: \"its example\"  ",
        "00000005 03 n 01 named 0 002 @i 00000002 n 0000 @ 00000003 n 0000 | an instance  ",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-wordnet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_parser_reads_lemmas_hypernyms_and_definitions_of_a_hand_made_file()
    {
        var graph = WordNetGraph.Parse(Snippet);

        Assert.Equal(5, graph.Count);
        var side = graph[graph.IndexOf(3)];
        Assert.Equal(["side", "other_side"], side.Lemmas);
        Assert.Equal([1L], side.Hypernyms);
        Assert.Equal([2L, 3L], graph[graph.IndexOf(5)].Hypernyms); // @i and @ both count
        Assert.Equal([2L], graph[graph.IndexOf(4)].Hypernyms); // '+' to a verb is not a hypernym
        Assert.Equal("the top", graph[graph.IndexOf(1)].Definition);
        Assert.Equal("a leaf", graph[graph.IndexOf(4)].Definition);
        Assert.Equal("a side thing, with a \"comma\" inside", side.Definition); // a quote mid-sentence ends the definition only where it begins
        Assert.Equal([graph.IndexOf(4), graph.IndexOf(5)], graph.Children(graph.IndexOf(2)).Order());
        Assert.Equal([0, 1, 1, 2, 2], new long[] { 1, 2, 3, 4, 5 }.Select(o => graph.MinDepth(graph.IndexOf(o))));
    }

    [Theory]
    // a, b, path length, path = 1/(1+len), lcs, Wu-Palmer = 2·depth(lcs)/(dist(a,lcs)+dist(b,lcs)+2·depth(lcs)), depth(root) = 1
    [InlineData(4, 3, 3, 0.25, 1, 2.0 / 5)]           // leaf–mid–root–side; lcs root (1): 2/(2+1+2)
    [InlineData(4, 5, 2, 1.0 / 3, 2, 4.0 / 6)]        // leaf–mid–named; lcs mid (2): 4/(1+1+4)
    [InlineData(3, 5, 1, 0.5, 3, 4.0 / 5)]            // side is named's parent; lcs side (2): 4/(0+1+4)
    [InlineData(4, 2, 1, 0.5, 2, 4.0 / 5)]            // parent and child
    [InlineData(1, 4, 2, 1.0 / 3, 1, 2.0 / 4)]        // root and grandchild: 2/(0+2+2)
    [InlineData(5, 5, 0, 1.0, 5, 1.0)]                // itself
    public void Path_and_Wu_Palmer_match_hand_computed_values(long a, long b, int length, double path, long lcs, double wup)
    {
        var graph = WordNetGraph.Parse(Snippet);
        var s = graph.Similarity(graph.IndexOf(a), graph.IndexOf(b))!;

        Assert.Equal(length, s.PathLength);
        Assert.Equal(path, s.Path, 12);
        Assert.Equal(lcs, graph[s.Lcs].Offset);
        Assert.Equal(wup, s.WuPalmer, 12);
        Assert.Equal(s, graph.Similarity(graph.IndexOf(b), graph.IndexOf(a))); // symmetric
    }

    [Fact]
    public void Sampled_pairs_of_the_hand_made_file_survive_the_csv_that_SentencePairs_reads()
    {
        var graph = WordNetGraph.Parse(Snippet);
        var pairs = WordNetPairs.Sample(graph, 5, seed: 1); // one of each stratum
        var csv = Path.Combine(_dir, "pairs.csv");
        WordNetPairs.Write(csv, pairs, WordNetMeasure.WuPalmer);

        var read = SentencePairs.Read(csv);
        Assert.Equal(5, pairs.Select(static p => (Math.Min(p.A, p.B), Math.Max(p.A, p.B))).Distinct().Count());
        Assert.Equal(Enum.GetValues<WordNetStratum>(), pairs.Select(static p => p.Stratum));
        Assert.Contains(pairs[0].B, graph.Parents(pairs[0].A)); // parent/child
        Assert.Equal(pairs.Select(static p => (p.First, p.Second)), read.Select(static p => (p.First, p.Second)));
        Assert.Equal(pairs.Select(static p => Math.Round(p.Similarity.WuPalmer, 6)), read.Select(static p => p.Score));
        Assert.All(read, static p => Assert.InRange(p.Score, double.Epsilon, 1.0));
    }

    [Fact]
    public void A_definition_with_commas_and_quotes_is_quoted_in_the_csv_and_read_back_whole()
    {
        var graph = WordNetGraph.Parse(Snippet);
        int side = graph.IndexOf(3), named = graph.IndexOf(5);
        var pair = new WordNetPair(side, named, WordNetStratum.ParentChild, graph.Similarity(side, named)!, graph[side].Definition, graph[named].Definition);
        var csv = Path.Combine(_dir, "quoted.csv");
        var other = new WordNetPair(graph.IndexOf(4), side, WordNetStratum.Unrelated, graph.Similarity(graph.IndexOf(4), side)!, graph[graph.IndexOf(4)].Definition, graph[side].Definition);
        WordNetPairs.Write(csv, [pair, other], WordNetMeasure.Path);

        Assert.Contains("\"a side thing, with a \"\"comma\"\" inside\",an instance,0.5\n", File.ReadAllText(csv), StringComparison.Ordinal);
        var read = SentencePairs.Read(csv);
        Assert.Equal(("a side thing, with a \"comma\" inside", "an instance", 0.5), (read[0].First, read[0].Second, read[0].Score));
        Assert.Equal(("a leaf", "a side thing, with a \"comma\" inside", 0.25), (read[1].First, read[1].Second, read[1].Score));
    }

    [Fact]
    public void Real_WordNet_dog_and_cat_have_NLTKs_similarities_and_carnivore_as_lcs()
    {
        var nouns = WordNetPairs.Nouns;
        int dog = nouns.IndexOf(02084071), cat = nouns.IndexOf(02121620);
        Assert.Equal("dog", nouns[dog].Lemmas[0]);
        Assert.Equal("cat", nouns[cat].Lemmas[0]);

        var s = nouns.Similarity(dog, cat)!;
        output.WriteLine($"dog/cat: path {s.Path}, wup {s.WuPalmer}, lcs {nouns[s.Lcs].Lemmas[0]} depth {nouns.MinDepth(s.Lcs) + 1}");
        Assert.Equal(0.2, s.Path, 12); // NLTK: wn.synset('dog.n.01').path_similarity(wn.synset('cat.n.01')) == 0.2
        Assert.Equal(02075296, nouns[s.Lcs].Offset); // carnivore.n.01
        Assert.Equal("carnivore", nouns[s.Lcs].Lemmas[0]);
        Assert.Equal(6.0 / 7, s.WuPalmer, 12); // NLTK: dog.wup_similarity(cat) == 0.857142... (lcs depth 12, 2 edges each side)

        // WordNet 3.0 has 82,115 noun synsets, all under the single root entity.n.01.
        Assert.Equal(82115, nouns.Count);
        var roots = Enumerable.Range(0, nouns.Count).Where(i => nouns.Parents(i).Count == 0).ToArray();
        Assert.Equal([00001740L], roots.Select(i => nouns[i].Offset));
    }

    [Fact]
    public void The_real_set_is_500_pairs_scored_in_0_1_spread_by_stratum_and_the_same_every_time()
    {
        var path = WordNetPairs.Csv();
        var read = SentencePairs.Read(path);
        var pairs = WordNetPairs.Sample(WordNetPairs.Nouns, WordNetPairs.DefaultCount, WordNetPairs.DefaultSeed);

        Assert.Equal(500, read.Count);
        Assert.All(read, static p => Assert.InRange(p.Score, double.Epsilon, 1.0));
        Assert.Equal(500, read.Select(static p => (p.First, p.Second)).Distinct().Count());
        Assert.Equal(File.ReadAllText(path), WordNetPairs.ToCsv(pairs, WordNetMeasure.WuPalmer)); // the cached file is what the seed gives
        Assert.Equal(WordNetPairs.ToCsv(pairs, WordNetMeasure.WuPalmer),
            WordNetPairs.ToCsv(WordNetPairs.Sample(WordNetPairs.Nouns, WordNetPairs.DefaultCount, WordNetPairs.DefaultSeed), WordNetMeasure.WuPalmer));

        // Stratified: 100 of each, and the closer strata score higher on average than random pairs.
        var byStratum = pairs.GroupBy(static p => p.Stratum).ToDictionary(static g => g.Key, static g => g.Select(static p => p.Similarity.WuPalmer).ToArray());
        foreach (var (stratum, scores) in byStratum)
        {
            output.WriteLine($"{stratum}: n {scores.Length}, Wu-Palmer mean {scores.Average():0.000} min {scores.Min():0.000} max {scores.Max():0.000}");
        }

        Assert.All(Enum.GetValues<WordNetStratum>(), s => Assert.Equal(100, byStratum[s].Length));
        Assert.True(byStratum[WordNetStratum.ParentChild].Average() > byStratum[WordNetStratum.Cousins].Average());
        Assert.True(byStratum[WordNetStratum.Cousins].Average() > byStratum[WordNetStratum.Unrelated].Average());
        Assert.True(read.Select(static p => p.Score).Distinct().Count() >= 20, "scores are not spread");
        foreach (var p in pairs.Take(5))
        {
            output.WriteLine($"{p.Stratum} {p.Similarity.WuPalmer:0.000}: {p.First} || {p.Second}");
        }
    }
}
