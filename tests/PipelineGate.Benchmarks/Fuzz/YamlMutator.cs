namespace PipelineGate.Benchmarks.Fuzz;

/// <summary>
/// Structural mutations of a real pipelinegate.yml: lines deleted, duplicated, swapped or re-indented;
/// scalars replaced by hostile values (negative, huge, NaN, wrong units, empty, long); unknown keys;
/// anchors and aliases (a billion-laughs chain); tabs and stray flow syntax. Half the mutants get one hostile
/// value only (most of those still parse and reach check). Deterministic per seed.
/// </summary>
public static class YamlMutator
{
    private static readonly string[] Values =
    [
        "-1", "0", "1e309", "NaN", "-.inf", "~", "\"\"", "''", "10 parsecs", "5 ms ms", "999999999999999999999", "true", "[]", "{}",
        "[1, [2, [3, [4]]]]", "\"\\u0000\"", new string('x', 5000), "*undefined", "&a x", "!!binary AAAA", "100%%", "-5%", "1e-300 s",
        "../../../../etc/passwd", "/dev/zero", "${HOME}", "${NOPE}", "ünïcødé", "0x10", "1_000", "- a", "|", ">",
    ];

    public static string Mutate(string seed, Random rng)
    {
        var lines = seed.Split('\n').ToList();
        if (rng.Next(2) == 0)
        {
            // Half the mutants change one value only, so that most of them still parse and reach check.
            var line = rng.Next(lines.Count);
            lines[line] = ReplaceValue(lines[line], rng);
            return string.Join('\n', lines);
        }

        var count = 1 + rng.Next(3);
        for (var i = 0; i < count && lines.Count > 0; i++)
        {
            var at = rng.Next(lines.Count);
            switch (rng.Next(9))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[rng.Next(lines.Count)]);
                    break;
                case 2:
                    var other = rng.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    lines[at] = rng.Next(2) == 0 ? "  " + lines[at] : lines[at].TrimStart();
                    break;
                case 4:
                case 5:
                    lines[at] = ReplaceValue(lines[at], rng);
                    break;
                case 6:
                    lines.Insert(at, new string(' ', 2 * rng.Next(4)) + "unknown-key-" + rng.Next(3) + ": 1");
                    break;
                case 7:
                    lines.InsertRange(at, Laughs(rng.Next(3, 12)));
                    break;
                default:
                    lines[at] = lines[at].Replace("  ", "\t", StringComparison.Ordinal) + (rng.Next(2) == 0 ? " {" : " ]");
                    break;
            }
        }

        return string.Join('\n', lines);
    }

    private static string ReplaceValue(string line, Random rng)
    {
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        var value = Values[rng.Next(Values.Length)];
        return colon < 0 ? line + " " + value : line[..(colon + 2)] + value + (line.TrimEnd().EndsWith('}') && rng.Next(2) == 0 ? " }" : "");
    }

    /// <summary>a0: &a0 [x, x]; a1: &a1 [*a0, *a0] ... under a top-level key: 2^depth nodes if expanded.</summary>
    private static IEnumerable<string> Laughs(int depth)
    {
        yield return "laughs:";
        yield return "  a0: &a0 [lol, lol, lol, lol]";
        for (var i = 1; i < depth; i++)
        {
            yield return $"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]";
        }
    }
}
