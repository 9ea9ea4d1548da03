using System.Text.RegularExpressions;

namespace PipelineGate.TestAssets;

/// <summary>
/// Real English text that Debian publishes: the "literature" and "fortunes" cookie files of fortunes-min
/// 1:1.99.1-7.3 (bookworm), pinned by the package's SHA-256 and fetched into the cache on first use. Each
/// cookie (quotations with their attributions, punctuation, quotes, dashes, abbreviations) becomes one
/// "sentence" with its white space collapsed.
/// </summary>
public static partial class RealText
{
    private const string Package = "fortunes-min";
    private const string Version = "1:1.99.1-7.3";
    private const string Sha256 = "9eed5b45064e41133dae0967cf3a17588ad77c014fcc7bf1527fa3ea48e44d07";

    /// <summary>The cookies of the literature file (262), then of the fortunes file (431), in file order.</summary>
    public static IReadOnlyList<string> Cookies
    {
        get
        {
            var folder = Path.Combine(AssetCache.DebianPackage(Package, Version, Sha256), "usr", "share", "games", "fortunes");
            return new[] { "literature", "fortunes" }
                .SelectMany(f => File.ReadAllText(Path.Combine(folder, f)).Split("\n%\n"))
                .Select(c => WhiteSpace().Replace(c, " ").Trim().TrimEnd('%').Trim())
                .Where(static c => c.Length > 0)
                .ToArray();
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
