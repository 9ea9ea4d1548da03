using System.Globalization;
using PipelineGate.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Bounds checked on the parser's events as YamlDotNet's node builder pulls them: building the tree recurses once per
/// nesting level and hashes mapping keys, so a self-referring alias used as a key (<c>&amp;a [*a]: x</c>, found by
/// the property tests) or a few hundred thousand nested brackets overflow the stack and kill the process, which no
/// catch can stop. An alias to a collection that is still open, or nesting deeper than <see cref="MaxDepth"/>, is
/// refused with PG1011 and the line it is on, before the builder sees that event; the text is parsed once.
/// </summary>
internal sealed class YamlEventBounds(IParser inner, string file) : IParser
{
    /// <summary>Nesting levels a config may use; a gate config needs fewer than ten.</summary>
    public const int MaxDepth = 200;

    private readonly Dictionary<string, int> _latest = new(StringComparer.Ordinal);
    private readonly Stack<int> _open = new();
    private readonly HashSet<int> _openIds = [];
    private int _next;

    public ParsingEvent? Current => inner.Current;

    /// <summary>Moves to the next event; throws <see cref="ConfigException"/> (PG1011) for a cycle or too deep a nesting.</summary>
    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case AnchorAlias alias when _latest.TryGetValue(alias.Value.Value, out var target) && _openIds.Contains(target):
                throw Refused(alias.Start, $"The config has a YAML alias (*{alias.Value.Value}) inside the node its anchor (&{alias.Value.Value}) names, so it would never end.", "Remove the self-referring alias.");
            case MappingStart or SequenceStart:
                var id = _next++;
                var anchor = ((NodeEvent)inner.Current).Anchor;
                if (!anchor.IsEmpty)
                {
                    _latest[anchor.Value] = id;
                }

                _open.Push(id);
                _openIds.Add(id);
                if (_open.Count > MaxDepth)
                {
                    throw Refused(inner.Current.Start,
                        string.Create(CultureInfo.InvariantCulture, $"The config nests mappings and lists more than {MaxDepth} levels deep; a gate config needs far fewer."),
                        "Flatten the config; see docs/config.md for its shape.");
                }

                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                _openIds.Remove(_open.Pop());
                break;
            case Scalar { Anchor.IsEmpty: false } scalar:
                _latest[scalar.Anchor.Value] = _next++;
                break;
        }

        return true;
    }

    private ConfigException Refused(Mark at, string message, string hint) =>
        new([new Diagnostic(PgCode.ConfigTooLarge, DiagnosticSeverity.Error, message, file, (int)at.Line, (int)at.Column, hint)]);
}
