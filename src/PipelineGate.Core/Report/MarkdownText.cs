using System.Text;

namespace PipelineGate.Report;

/// <summary>
/// Escaping for GitHub-flavoured Markdown. Names and messages come from users' configs and models,
/// so every one of them is escaped: a '|' would split a table cell, a '&lt;' could open an HTML tag and a
/// '*' or '_' start emphasis.
/// </summary>
internal static class MarkdownText
{
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            switch (ch)
            {
                case '\\': sb.Append("\\\\"); break;
                case '|': sb.Append("\\|"); break;
                // Only a '<' that could open a tag or comment is escaped, so "p < 0.001" stays readable as source.
                case '<' when i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!' or '?'):
                    sb.Append("&lt;");
                    break;
                case '*': sb.Append("\\*"); break;
                case '_': sb.Append("\\_"); break;
                case '`': sb.Append("\\`"); break;
                case '[': sb.Append("\\["); break;
                case ']': sb.Append("\\]"); break;
                case '\r': break;
                case '\n': sb.Append(' '); break;
                default: sb.Append(ch); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>A code span that survives backticks in the text (the fence grows past the longest run).</summary>
    public static string Code(string text)
    {
        var flat = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace('\n', ' ');
        if (flat.Contains('|', StringComparison.Ordinal))
        {
            // A pipe splits a table cell even inside a code span; escaped, GitHub shows it as a plain pipe.
            flat = flat.Replace("|", "\\|", StringComparison.Ordinal);
        }

        var longest = 0;
        var run = 0;
        foreach (var ch in flat)
        {
            run = ch == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = longest > 0 ? " " : string.Empty;
        return fence + pad + flat + pad + fence;
    }

    public static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |\n";

    public static string HeaderRow(IReadOnlyList<string> cells) =>
        Row(cells) + "|" + string.Concat(Enumerable.Repeat("---|", cells.Count)) + "\n";
}
