using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// <c>${NAME}</c> substitution, applied to path values only: a path is where a CI runner's layout differs from a
/// developer's machine, while names, metrics and limits must read the same everywhere. <c>$${</c> is a literal <c>${</c>.
/// </summary>
internal static partial class PathVariables
{
    public static bool TryExpand(string text, Func<string, string?> lookup, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out ValueError? error)
    {
        var sb = new StringBuilder(text.Length);
        var undefined = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                sb.Append("${");
                i += 3;
                continue;
            }

            if (string.CompareOrdinal(text, i, "${", 0, 2) != 0)
            {
                sb.Append(text[i++]);
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            var name = close < 0 ? "" : text[(i + 2)..close];
            if (close < 0 || !Name().IsMatch(name))
            {
                value = null;
                error = new ValueError(PgCode.ConfigInvalidValue,
                    $"'{text}' has a malformed variable reference at '{text[i..]}'.",
                    "Write ${NAME} with a name of letters, digits and '_' (not starting with a digit), or $${ for a literal '${'.");
                return false;
            }

            if (lookup(name) is { } v)
            {
                sb.Append(v);
            }
            else
            {
                undefined.Add(name);
            }

            i = close + 1;
        }

        if (undefined.Count > 0)
        {
            value = null;
            var names = string.Join(", ", undefined.Distinct(StringComparer.Ordinal).Select(static n => $"'{n}'"));
            error = new ValueError(PgCode.ConfigUndefinedVariable,
                $"'{text}' uses the environment variable{(undefined.Count > 1 ? "s" : "")} {names}, which {(undefined.Count > 1 ? "are" : "is")} not defined.",
                "Define it in the job's environment, or write the path without it.");
            return false;
        }

        value = sb.ToString();
        error = null;
        return true;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
