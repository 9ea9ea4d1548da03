using System.Text;

namespace PipelineGate.Report;

/// <summary>HTML escaping for text and attribute values; every user-supplied string goes through it.</summary>
internal static class HtmlText
{
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\r': break;
                default:
                    // Control characters other than tab and newline are not allowed in HTML text.
                    sb.Append(char.IsControl(ch) && ch is not '\t' and not '\n' ? '\uFFFD' : ch);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>An id token from arbitrary names: letters, digits and '-' only, so it is valid in HTML and in the layout line.</summary>
    public static string Id(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().TrimEnd('-');
    }

    public static string Cell(string text, string tag = "td", string? cls = null) =>
        cls is null ? $"<{tag}>{Escape(text)}</{tag}>" : $"<{tag} class=\"{cls}\">{Escape(text)}</{tag}>";
}
