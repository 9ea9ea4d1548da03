using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// A YAML mapping checked against the keys valid at its place: unknown keys are reported (PG1003, with a
/// suggestion), the rest are looked up by name. A key whose value is YAML null counts as absent.
/// </summary>
internal sealed class MappingReader
{
    private readonly ConfigContext _context;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    // Keys suggested for misspelt ones: a misspelt required key is reported once, as the misspelling.
    private readonly HashSet<string> _suggested = new(StringComparer.Ordinal);

    private MappingReader(ConfigContext context, YamlMappingNode node, string what, IReadOnlyList<string> keys)
    {
        _context = context;
        Node = node;
        What = what;
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } scalar)
            {
                context.Report(PgCode.ConfigInvalidValue, key, $"A key in {what} must be a plain name, not a list or mapping.", $"Valid keys here: {string.Join(", ", keys)}.");
                continue;
            }

            if (!keys.Contains(name, StringComparer.Ordinal))
            {
                var suggestion = Suggestions.Closest(name, keys);
                var didYouMean = suggestion is null ? "" : $" Did you mean '{suggestion}'?";
                context.Report(PgCode.ConfigUnknownKey, key, $"Unknown key '{name}' in {what}.{didYouMean}", $"Valid keys here: {string.Join(", ", keys)}.");
                if (suggestion is not null)
                {
                    _suggested.Add(suggestion);
                }

                continue;
            }

            _entries[name] = (scalar, value);
        }
    }

    public YamlMappingNode Node { get; }

    /// <summary>How messages name this mapping: "the model", "measure", "budget"...</summary>
    public string What { get; }

    /// <summary>Opens <paramref name="node"/> as a mapping, or reports PG1004 and returns null.</summary>
    public static MappingReader? Open(ConfigContext context, YamlNode node, string what, IReadOnlyList<string> keys)
    {
        if (node is YamlMappingNode mapping)
        {
            return new MappingReader(context, mapping, what, keys);
        }

        context.Report(PgCode.ConfigInvalidValue, node, $"{Capitalize(what)} must be a mapping of keys to values, got {Scalars.Describe(node)}.", $"Valid keys here: {string.Join(", ", keys)}.");
        return null;
    }

    public bool Has(string key) => Value(key) is not null;

    /// <summary>Whether an unknown key here was probably meant to be <paramref name="key"/> (and was reported as such).</summary>
    public bool Misspelt(string key) => _suggested.Contains(key);

    /// <summary>The value of <paramref name="key"/>, or null when absent or written as null.</summary>
    public YamlNode? Value(string key) =>
        _entries.TryGetValue(key, out var e) && !Scalars.IsNull(e.Value) ? e.Value : null;

    /// <summary>The key node of <paramref name="key"/> if it was written, for diagnostics about the key itself.</summary>
    public YamlScalarNode? Key(string key) => _entries.TryGetValue(key, out var e) ? e.Key : null;

    /// <summary>The value of a required key, or null after reporting PG1006 (at the key if it has no value, else at the mapping).</summary>
    public YamlNode? Required(string key, string? hint = null)
    {
        if (Value(key) is { } value)
        {
            return value;
        }

        if (Misspelt(key))
        {
            return null;
        }

        YamlNode at = _entries.TryGetValue(key, out var e) ? e.Key : Node;
        _context.Report(PgCode.ConfigMissingKey, at, $"{Capitalize(What)} needs '{key}'{(at == Node ? "" : " to have a value")}.", hint);
        return null;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
