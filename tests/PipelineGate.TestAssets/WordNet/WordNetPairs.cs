using System.Globalization;
using System.Text;

namespace PipelineGate.TestAssets.WordNet;

/// <summary>Which WordNet similarity a pair's score is.</summary>
public enum WordNetMeasure
{
    /// <summary>Wu-Palmer: 2·depth(lcs) / (depth(a) + depth(b)).</summary>
    WuPalmer,

    /// <summary>Path: 1 / (1 + shortest hypernym path length).</summary>
    Path,
}

/// <summary>How a pair was drawn: the sampling strata, from closest to unrelated.</summary>
public enum WordNetStratum
{
    ParentChild,
    Siblings,
    Cousins,
    Relatives,
    Unrelated,
}

/// <summary>One sampled pair: the two synsets (graph indices), how it was drawn, their similarity, and the two definitions.</summary>
public sealed record WordNetPair(int A, int B, WordNetStratum Stratum, WordNetSimilarity Similarity, string First, string Second);

/// <summary>
/// A labelled sentence-pair set for <c>similarity.spearman</c> tests and benchmarks built from a real, published
/// resource, since no STS-B/SICK/WordSim data is reachable from this environment's registries: WordNet 3.0
/// (Princeton; WordNet 3.0 licence) as Debian packages it (wordnet-base 1:3.0-37, bookworm), pinned by the .deb's
/// SHA-256 and fetched into the cache on first use. Each pair is the definitions (glosses before any quoted example)
/// of two noun synsets, scored by their Wu-Palmer (or path) similarity computed from the hypernym pointers
/// (<see cref="WordNetGraph.Similarity"/>). The labels are WordNet's taxonomy, not human judgments: ρ measures how
/// well an encoder's cosines agree with it, and the change of ρ between two models is what a gate looks at.
/// Pairs are drawn with a fixed seed, stratified so the scores spread: an equal share of parent/child, siblings,
/// cousins (two up, two down), relatives (a random walk 3–6 up, 1–6 down) and uniformly random pairs.
/// </summary>
public static class WordNetPairs
{
    public const int DefaultCount = 500;
    public const ulong DefaultSeed = 13;

    private const string Package = "wordnet-base";
    private const string Version = "1:3.0-37";
    private const string Sha256 = "61060d960f9ada8fa120872312eccd3ecebfbab8c4579e4f5a74e1cf67620752";

    /// <summary>Bumped whenever sampling or formatting changes, so a cached CSV of an older generator is not reused.</summary>
    private const int Generator = 1;

    private static readonly Lazy<WordNetGraph> LazyNouns = new(() => WordNetGraph.Load(DataNoun));

    /// <summary>The package's data.noun (82,115 synsets).</summary>
    public static string DataNoun
    {
        get
        {
            var path = Path.Combine(AssetCache.DebianPackage(Package, Version, Sha256), "usr", "share", "wordnet", "data.noun");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not in the pinned Debian package; the package layout changed.", path);
        }
    }

    /// <summary>The noun graph of <see cref="DataNoun"/>, parsed once per process.</summary>
    public static WordNetGraph Nouns => LazyNouns.Value;

    /// <summary>
    /// The CSV (<c>s1,s2,score</c> with a header, as <c>SentencePairs.Read</c> takes it) of <paramref name="count"/> pairs
    /// in the cache, written atomically the first time; returns its path.
    /// </summary>
    public static string Csv(int count = DefaultCount, WordNetMeasure measure = WordNetMeasure.WuPalmer, ulong seed = DefaultSeed)
    {
        var path = Path.Combine(AssetCache.Root, "wordnet", $"{Package}_{Version.Replace(':', '_')}",
            string.Create(CultureInfo.InvariantCulture, $"pairs-{measure.ToString().ToLowerInvariant()}-n{count}-seed{seed}-g{Generator}.csv"));
        if (!File.Exists(path))
        {
            Write(path, Sample(Nouns, count, seed), measure);
        }

        return path;
    }

    /// <summary>Writes pairs as the CSV <see cref="Csv"/> returns, atomically (a killed run leaves no half file).</summary>
    public static void Write(string path, IEnumerable<WordNetPair> pairs, WordNetMeasure measure) =>
        PipelineGate.IO.AtomicFile.WriteAllText(path, ToCsv(pairs, measure));

    public static string ToCsv(IEnumerable<WordNetPair> pairs, WordNetMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var csv = new StringBuilder("s1,s2,score\n");
        foreach (var p in pairs)
        {
            var score = measure == WordNetMeasure.WuPalmer ? p.Similarity.WuPalmer : p.Similarity.Path;
            csv.Append(Field(p.First)).Append(',').Append(Field(p.Second)).Append(',')
                .Append(score.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>
    /// <paramref name="count"/> distinct unordered pairs, drawn deterministically from <paramref name="seed"/>
    /// (SplitMix64, whose sequence no .NET version changes), in the order drawn, strata interleaved.
    /// </summary>
    public static IReadOnlyList<WordNetPair> Sample(WordNetGraph graph, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var state = seed;
        int Next(int bound) => (int)(((SplitMix64(ref state) >> 32) * (ulong)bound) >> 32);
        int Pick(IReadOnlyList<int> from) => from[Next(from.Count)];

        var seen = new HashSet<(int, int)>();
        var pairs = new List<WordNetPair>(count);
        var strata = Enum.GetValues<WordNetStratum>();
        var attempts = 0;
        while (pairs.Count < count)
        {
            if (++attempts > count * 1000)
            {
                throw new InvalidOperationException($"Only {pairs.Count} of {count} distinct pairs found in {attempts - 1} draws (no new {strata[pairs.Count % strata.Length]} pair); the graph is too small.");
            }

            var stratum = strata[pairs.Count % strata.Length];
            var a = Next(graph.Count);
            int? b = stratum switch
            {
                WordNetStratum.ParentChild => graph.Parents(a).Count == 0 ? null : Pick(graph.Parents(a)),
                WordNetStratum.Siblings => graph.Parents(a).Count == 0 ? null : Pick(graph.Children(Pick(graph.Parents(a)))),
                WordNetStratum.Cousins => Walk(graph, a, 2, 2, Pick),
                WordNetStratum.Relatives => Walk(graph, a, 3 + Next(4), 1 + Next(6), Pick),
                _ => Next(graph.Count),
            };

            if (b is not { } other || other == a || !seen.Add((Math.Min(a, other), Math.Max(a, other))))
            {
                continue;
            }

            var (first, second) = (graph[a].Definition, graph[other].Definition);
            if (first.Length == 0 || second.Length == 0 || first == second || graph.Similarity(a, other) is not { } similarity)
            {
                continue;
            }

            pairs.Add(new WordNetPair(a, other, stratum, similarity, first, second));
        }

        return pairs;
    }

    /// <summary>Up <paramref name="up"/> random hypernyms (stopping at the root), then down up to <paramref name="down"/> random hyponyms.</summary>
    private static int Walk(WordNetGraph graph, int from, int up, int down, Func<IReadOnlyList<int>, int> pick)
    {
        var at = from;
        for (var i = 0; i < up && graph.Parents(at).Count > 0; i++)
        {
            at = pick(graph.Parents(at));
        }

        for (var i = 0; i < down && graph.Children(at).Count > 0; i++)
        {
            at = pick(graph.Children(at));
        }

        return at;
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, a quote inside doubled.</summary>
    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // SplitMix64 (Steele, Lea and Flood 2014), as the gate's bootstrap uses: System.Random's sequence for a seed is not promised across .NET versions.
    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
