using System.Globalization;
using PipelineGate.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Bounds checked on the parser's events, before YamlDotNet builds its node tree: building that tree recurses once per
/// nesting level and hashes mapping keys, so a self-referring alias used as a key (<c>&amp;a [*a]: x</c>, found by
/// the property tests) or a few hundred thousand nested brackets overflow the stack and kill the process, which no
/// catch can stop. Here an alias to a collection that is still open, or nesting deeper than <see cref="MaxDepth"/>, is
/// refused with PG1011 and the line it is on.
/// </summary>
internal static class YamlEventBounds
{
    /// <summary>Nesting levels a config may use; a gate config needs fewer than ten.</summary>
    public const int MaxDepth = 200;

    /// <summary>Throws <see cref="ConfigException"/> (PG1011) for a cycle or too deep a nesting; YAML syntax errors propagate as <see cref="YamlException"/>.</summary>
    public static void Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        var open = new Stack<int>();
        var openIds = new HashSet<int>();
        var next = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias when latest.TryGetValue(alias.Value.Value, out var target) && openIds.Contains(target):
                    throw Refused(file, alias.Start, $"The config has a YAML alias (*{alias.Value.Value}) inside the node its anchor (&{alias.Value.Value}) names, so it would never end.", "Remove the self-referring alias.");
                case MappingStart or SequenceStart:
                    var id = next++;
                    var anchor = ((NodeEvent)parser.Current).Anchor;
                    if (!anchor.IsEmpty)
                    {
                        latest[anchor.Value] = id;
                    }

                    open.Push(id);
                    openIds.Add(id);
                    if (open.Count > MaxDepth)
                    {
                        throw Refused(file, parser.Current.Start,
                            string.Create(CultureInfo.InvariantCulture, $"The config nests mappings and lists more than {MaxDepth} levels deep; a gate config needs far fewer."),
                            "Flatten the config; see docs/config.md for its shape.");
                    }

                    break;
                case MappingEnd or SequenceEnd when open.Count > 0:
                    openIds.Remove(open.Pop());
                    break;
                case Scalar { Anchor.IsEmpty: false } scalar:
                    latest[scalar.Anchor.Value] = next++;
                    break;
            }
        }
    }

    private static ConfigException Refused(string file, Mark at, string message, string hint) =>
        new([new Diagnostic(PgCode.ConfigTooLarge, DiagnosticSeverity.Error, message, file, (int)at.Line, (int)at.Column, hint)]);
}
