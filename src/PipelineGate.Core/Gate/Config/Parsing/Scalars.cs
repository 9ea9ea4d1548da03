using System.Globalization;
using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Typed reads of scalar values. Each returns null after reporting at the node, so callers just skip the
/// value and go on. Values are read by their text whatever their quoting: <c>"1"</c> and <c>1</c> are both 1.
/// </summary>
internal static partial class Scalars
{
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    /// <summary>"line 12", for messages that point back at an earlier definition.</summary>
    public static string LineOf(YamlNode node) => "line " + node.Start.Line.ToString(CultureInfo.InvariantCulture);

    public static string? Text(ConfigContext context, YamlNode node, string subject)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must be a single value, got {Describe(node)}.");
        return null;
    }

    public static string? NonEmpty(ConfigContext context, YamlNode node, string subject)
    {
        var text = Text(context, node, subject);
        if (text is not null && text.Trim().Length == 0)
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must not be empty.");
            return null;
        }

        return text;
    }

    /// <summary>A model, variant or profile name: it appears in reports, file names and command-line filters.</summary>
    public static string? Name(ConfigContext context, YamlNode node, string subject)
    {
        var text = Text(context, node, subject);
        if (text is not null && !IsValidName(text))
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"{subject} '{text}' is not a valid name.",
                "Use letters, digits, '.', '_' and '-', starting with a letter or digit.");
            return null;
        }

        return text;
    }

    public static int? Integer(ConfigContext context, YamlNode node, string subject, int min, int max = int.MaxValue)
    {
        var text = Text(context, node, subject);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must be a whole number, got '{text}'.", "Write digits only, e.g. 60.");
            return null;
        }

        if (value < min || value > max)
        {
            var range = max == int.MaxValue ? $"at least {min.ToString(CultureInfo.InvariantCulture)}" : $"between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
            context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must be {range}, got {value.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return value;
    }

    public static bool? Boolean(ConfigContext context, YamlNode node, string subject)
    {
        var text = Text(context, node, subject);
        if (text is null)
        {
            return null;
        }

        // YAML 1.2 booleans only: "yes"/"on" are strings there, and guessing would hide a typo.
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must be true or false, got '{text}'.");
        return null;
    }

    public static string? OneOf(ConfigContext context, YamlNode node, string subject, IReadOnlyList<string> options)
    {
        var text = Text(context, node, subject);
        if (text is null || options.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        context.Report(PgCode.ConfigInvalidValue, node, $"{subject} '{text}' is not one of {string.Join(", ", options)}.{Suggestions.DidYouMean(text, options)}");
        return null;
    }

    public static Quantity? Quantity(ConfigContext context, YamlNode node, string subject, IReadOnlyList<UnitDimension> allowed)
    {
        var text = Text(context, node, subject);
        if (text is null)
        {
            return null;
        }

        if (QuantityParser.TryParse(text, allowed, subject, out var q, out var error))
        {
            return q;
        }

        context.Report(error, node);
        return null;
    }

    /// <summary>A list, or null after reporting; a single item where a list is expected is a mistake worth naming.</summary>
    public static IList<YamlNode>? Sequence(ConfigContext context, YamlNode node, string subject)
    {
        if (node is YamlSequenceNode s)
        {
            return s.Children;
        }

        context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must be a list (lines starting with '- '), got {Describe(node)}.");
        return null;
    }

    /// <summary>A mapping of plain string values (provider options, input names), or null after reporting.</summary>
    public static Dictionary<string, string>? StringMap(ConfigContext context, YamlNode node, string subject)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"{subject} must be a mapping of names to values, got {Describe(node)}.");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } k } && value is YamlScalarNode { Value: { } v } && !IsNull(value))
            {
                result[k] = v;
            }
            else
            {
                context.Report(PgCode.ConfigInvalidValue, value is YamlScalarNode ? value : key, $"Each entry of {subject} must be 'name: value' with a single value.");
            }
        }

        return result;
    }

    public static bool IsValidName(string text) => NamePattern().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
