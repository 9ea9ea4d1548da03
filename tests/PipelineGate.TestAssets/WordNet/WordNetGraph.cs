using System.Globalization;

namespace PipelineGate.TestAssets.WordNet;

/// <summary>One synset of a WordNet data file: its byte offset (the id pointers use), lemmas, hypernyms and gloss.</summary>
public sealed record WordNetSynset(long Offset, IReadOnlyList<string> Lemmas, IReadOnlyList<long> Hypernyms, string Gloss)
{
    /// <summary>
    /// The definition part of the gloss: the text before its first quoted example. An example is a quote that follows
    /// ';', ':' or ',' (<c>a member of the genus Canis ...; "the dog barked all night"</c>); a quote inside the
    /// definition (<c>especially in the phrase "make strides"</c>) stays. Trailing separators are trimmed.
    /// </summary>
    public string Definition
    {
        get
        {
            var end = Gloss.Length;
            for (var i = Gloss.IndexOf('"', StringComparison.Ordinal); i >= 0; i = Gloss.IndexOf('"', i + 1))
            {
                var before = Gloss.AsSpan(0, i).TrimEnd();
                if (before.Length == 0 || before[^1] is ';' or ':' or ',')
                {
                    end = i;
                    break;
                }
            }

            return Gloss[..end].Trim().TrimEnd(';', ':', ',').Trim();
        }
    }
}

/// <summary>
/// The noun hypernym graph of a WordNet 3.0 <c>data.noun</c> file (format: wndb(5WN), the manual page Princeton
/// ships: <c>synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] | gloss</c>, w_cnt
/// two hexadecimal digits, p_cnt three decimal digits, each pointer <c>symbol offset pos source/target</c>; licence
/// lines start with two spaces). Hypernyms are the <c>@</c> (hypernym) and <c>@i</c> (instance hypernym) pointers,
/// the edges NLTK's path and Wu-Palmer similarities walk. Nouns only: WordNet 3.0's nouns have one root
/// (entity.n.01), while its verbs form hundreds of separate trees whose similarities need an invented root.
/// </summary>
public sealed class WordNetGraph
{
    private readonly Dictionary<long, int> _index = [];
    private readonly WordNetSynset[] _synsets;
    private readonly int[][] _parents;
    private readonly int[][] _children;
    private readonly int[] _minDepth;

    private WordNetGraph(List<WordNetSynset> synsets)
    {
        _synsets = [.. synsets];
        for (var i = 0; i < _synsets.Length; i++)
        {
            if (!_index.TryAdd(_synsets[i].Offset, i))
            {
                throw new InvalidDataException($"Synset offset {_synsets[i].Offset:D8} appears twice.");
            }
        }

        _parents = new int[_synsets.Length][];
        var children = new List<int>[_synsets.Length];
        for (var i = 0; i < _synsets.Length; i++)
        {
            children[i] = [];
        }

        for (var i = 0; i < _synsets.Length; i++)
        {
            _parents[i] = [.. _synsets[i].Hypernyms.Select(h => _index.TryGetValue(h, out var p)
                ? p
                : throw new InvalidDataException($"Synset {_synsets[i].Offset:D8} points to hypernym {h:D8}, which is not in the file."))];
            foreach (var p in _parents[i])
            {
                children[p].Add(i);
            }
        }

        _children = [.. children.Select(static c => c.ToArray())];
        _minDepth = new int[_synsets.Length];
        Array.Fill(_minDepth, -1);
    }

    public int Count => _synsets.Length;

    public WordNetSynset this[int index] => _synsets[index];

    /// <summary>The synset at this offset (the eight-digit id of data.noun).</summary>
    public int IndexOf(long offset) =>
        _index.TryGetValue(offset, out var i) ? i : throw new KeyNotFoundException($"No synset at offset {offset:D8}.");

    public IReadOnlyList<int> Parents(int synset) => _parents[synset];

    public IReadOnlyList<int> Children(int synset) => _children[synset];

    public static WordNetGraph Load(string dataNounPath) => Parse(File.ReadLines(dataNounPath));

    public static WordNetGraph Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var synsets = new List<WordNetSynset>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0 || line.StartsWith("  ", StringComparison.Ordinal))
            {
                continue; // the licence header
            }

            try
            {
                synsets.Add(ParseLine(line));
            }
            catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new InvalidDataException($"Line {number} is not a WordNet data record: {ex.Message}", ex);
            }
        }

        return new WordNetGraph(synsets);
    }

    private static WordNetSynset ParseLine(string line)
    {
        var bar = line.IndexOf(" | ", StringComparison.Ordinal);
        var fields = (bar < 0 ? line : line[..bar]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var gloss = bar < 0 ? "" : line[(bar + 3)..].Trim();
        var offset = long.Parse(fields[0], CultureInfo.InvariantCulture);
        var words = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var lemmas = new string[words];
        var at = 4;
        for (var w = 0; w < words; w++, at += 2)
        {
            lemmas[w] = fields[at];
        }

        var pointers = int.Parse(fields[at++], CultureInfo.InvariantCulture);
        var hypernyms = new List<long>();
        for (var p = 0; p < pointers; p++, at += 4)
        {
            if (fields[at] is "@" or "@i" && fields[at + 2] == "n")
            {
                hypernyms.Add(long.Parse(fields[at + 1], CultureInfo.InvariantCulture));
            }
        }

        return new WordNetSynset(offset, lemmas, hypernyms, gloss);
    }

    /// <summary>Every hypernym ancestor of <paramref name="synset"/> (itself at 0) with its shortest distance in edges, breadth first.</summary>
    public Dictionary<int, int> AncestorDistances(int synset)
    {
        var distances = new Dictionary<int, int> { [synset] = 0 };
        var queue = new Queue<int>();
        queue.Enqueue(synset);
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            foreach (var p in _parents[s])
            {
                if (distances.TryAdd(p, distances[s] + 1))
                {
                    queue.Enqueue(p);
                }
            }
        }

        return distances;
    }

    /// <summary>Edges on the shortest hypernym path from the synset up to a root (0 for entity.n.01); NLTK's min_depth.</summary>
    public int MinDepth(int synset)
    {
        if (_minDepth[synset] < 0)
        {
            // Breadth first over the ancestors rather than recursion over the parents: no deep call stack.
            var distances = AncestorDistances(synset);
            _minDepth[synset] = distances.Where(kv => _parents[kv.Key].Length == 0).Min(static kv => kv.Value);
        }

        return _minDepth[synset];
    }

    /// <summary>
    /// Both similarities of two noun synsets, and their lowest common subsumer, computed from the hypernym pointers as
    /// NLTK 3 defines them over WordNet 3.0 (nltk.corpus.reader.wordnet: path_similarity, wup_similarity):
    /// <list type="bullet">
    /// <item>path = 1 / (1 + d), d the shortest path between them through a common hypernym ancestor
    /// (min over common ancestors c of dist(a, c) + dist(b, c));</item>
    /// <item>Wu-Palmer (Wu and Palmer 1994, "Verb semantics and lexical selection", ACL) = 2·depth(lcs) /
    /// (depth(a) + depth(b)), depth counted in nodes from the root (root = 1); in a tree depth(a) = dist(a, lcs) +
    /// depth(lcs), which is the form used here (as NLTK does) so that multiple inheritance cannot push it above 1:
    /// 2·depth(lcs) / (dist(a, lcs) + dist(b, lcs) + 2·depth(lcs)). The lcs is the common ancestor of greatest depth
    /// (depth = 1 + <see cref="MinDepth"/>; ties to the lower offset, for determinism).</item>
    /// </list>
    /// Null when the two have no common ancestor (never for WordNet 3.0 nouns, which all descend from entity.n.01).
    /// </summary>
    public WordNetSimilarity? Similarity(int a, int b)
    {
        var fromA = AncestorDistances(a);
        var fromB = AncestorDistances(b);
        var shortest = int.MaxValue;
        int lcs = -1, lcsDepth = -1;
        foreach (var (c, da) in fromA)
        {
            if (!fromB.TryGetValue(c, out var db))
            {
                continue;
            }

            shortest = Math.Min(shortest, da + db);
            var depth = MinDepth(c) + 1;
            if (depth > lcsDepth || (depth == lcsDepth && _synsets[c].Offset < _synsets[lcs].Offset))
            {
                (lcs, lcsDepth) = (c, depth);
            }
        }

        if (lcs < 0)
        {
            return null;
        }

        var path = 1.0 / (1 + shortest);
        var wup = 2.0 * lcsDepth / (fromA[lcs] + fromB[lcs] + (2.0 * lcsDepth));
        return new WordNetSimilarity(path, wup, lcs, shortest);
    }
}

/// <summary>Path and Wu-Palmer similarity of two synsets, their lowest common subsumer and shortest hypernym path length in edges.</summary>
public sealed record WordNetSimilarity(double Path, double WuPalmer, int Lcs, int PathLength);
