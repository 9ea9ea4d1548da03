namespace PipelineGate.Runtime.Tests.Conformance;

/// <summary>
/// expected-failures.tsv: case name, fail|skip|env, reason. "env" marks a case whose outcome depends on the
/// machine (e.g. an installed locale): it may pass or fail. Lines starting with # are comments.
/// </summary>
public static class ExpectedOutcomes
{
    public sealed record Entry(OutcomeKind Kind, string Reason, bool DependsOnEnvironment = false);

    public static IReadOnlyDictionary<string, Entry> Load(string path)
    {
        var result = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t', 3);
            var kind = parts[1] switch
            {
                "fail" => OutcomeKind.Fail,
                "skip" => OutcomeKind.Skip,
                "env" => OutcomeKind.Pass,
                _ => throw new FormatException($"expected-failures.tsv: '{parts[1]}' is not fail or skip in line: {line}"),
            };
            result.Add(parts[0], new Entry(kind, parts.Length > 2 ? parts[2] : "", parts[1] == "env"));
        }

        return result;
    }
}
