using System.Globalization;
using PipelineGate.Diagnostics;

namespace PipelineGate.Onnx.Tests;

/// <summary>
/// docs/diagnostics.md is the doc page of every PG code (NuGet's NUxxxx model): a code without a section,
/// or a section for a code that no longer exists, would send users to a page that does not describe
/// what they saw. Headings inside fenced code blocks are examples, not sections, and are ignored.
/// </summary>
public sealed class DiagnosticsDocTests
{
    private const string HeadingPrefix = "## PG";

    private static readonly Lazy<string[]> Headings = new(ReadHeadings);

    /// <summary>Each member's expected heading, built from its name so aliases of one value are each checked.</summary>
    private static IEnumerable<(string Heading, int Value)> Expected() =>
        Enum.GetNames<PgCode>().Select(static name =>
        {
            var value = (int)Enum.Parse<PgCode>(name);
            return ($"## PG{value.ToString("D4", CultureInfo.InvariantCulture)}: {name}", value);
        });

    [Fact]
    public void Every_code_has_exactly_one_section()
    {
        var problems = Expected()
            .Select(e => (e.Heading, Count: Headings.Value.Count(h => h == e.Heading)))
            .Where(static x => x.Count != 1)
            .Select(static x => x.Count == 0 ? $"missing: '{x.Heading}'" : $"{x.Count} times: '{x.Heading}'")
            .ToList();

        Assert.True(problems.Count == 0, "docs/diagnostics.md is out of sync with PgCode:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void No_section_for_a_code_that_does_not_exist()
    {
        var known = Expected().Select(static e => e.Heading).ToHashSet(StringComparer.Ordinal);
        var unknown = Headings.Value.Where(h => !known.Contains(h)).ToList();

        Assert.True(unknown.Count == 0,
            "docs/diagnostics.md has headings that match no PgCode member (expected '## PGxxxx: MemberName'):\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void Sections_are_in_numeric_order()
    {
        var byHeading = Expected().ToDictionary(static e => e.Heading, static e => e.Value, StringComparer.Ordinal);
        var values = Headings.Value.Where(byHeading.ContainsKey).Select(h => byHeading[h]).ToList();

        Assert.Equal(values.Order(), values);
    }

    /// <summary>Every line that starts a PG section, outside fenced code blocks, with trailing spaces removed.</summary>
    private static string[] ReadHeadings()
    {
        var path = Path.Combine(RepoRoot(), "docs", "diagnostics.md");
        var headings = new List<string>();
        var inFence = false;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && line.StartsWith(HeadingPrefix, StringComparison.Ordinal))
            {
                headings.Add(line);
            }
        }

        return [.. headings];
    }

    /// <summary>The repository root: the first folder above the test binaries that holds PipelineGate.sln.</summary>
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PipelineGate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PipelineGate.sln was not found above " + AppContext.BaseDirectory);
    }
}
