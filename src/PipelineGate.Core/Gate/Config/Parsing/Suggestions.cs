namespace PipelineGate.Gate.Config.Parsing;

/// <summary>"Did you mean" for misspelt keys and names: edit distance ≤ 2, or one is a prefix of the other.</summary>
internal static class Suggestions
{
    private const int MaxDistance = 2;

    // A very short word is a prefix of too many candidates to be a useful hint.
    private const int MinPrefixLength = 3;

    public static string? Closest(string written, IEnumerable<string> candidates)
    {
        var w = written.ToLowerInvariant();
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var c = candidate.ToLowerInvariant();
            var score = Distance(w, c);
            if (score > MaxDistance)
            {
                var prefix = Math.Min(w.Length, c.Length) >= MinPrefixLength && (c.StartsWith(w, StringComparison.Ordinal) || w.StartsWith(c, StringComparison.Ordinal));
                if (!prefix)
                {
                    continue;
                }

                // Rank prefix matches after every near miss.
                score = MaxDistance + 1 + Math.Abs(c.Length - w.Length);
            }

            if (score < bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>" Did you mean 'x'?" or an empty string, ready to append to a message.</summary>
    public static string DidYouMean(string written, IEnumerable<string> candidates) =>
        Closest(written, candidates) is { } s ? $" Did you mean '{s}'?" : "";

    /// <summary>Levenshtein distance, two rows.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
