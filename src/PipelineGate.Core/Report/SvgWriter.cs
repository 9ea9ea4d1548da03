using System.Text;

namespace PipelineGate.Report;

/// <summary>
/// Writes the few SVG elements our charts use, with coordinates in the invariant culture (a German
/// decimal comma in a coordinate would silently break the drawing). Every chart gets the class,
/// id and explicit size the layout self-check in the HTML page looks for.
/// </summary>
internal sealed class SvgWriter
{
    public const string ChartClass = "pg-chart";

    private readonly StringBuilder _sb = new();

    public SvgWriter(string id, double width, double height, string title)
    {
        _sb.Append("<svg class=\"").Append(ChartClass).Append("\" id=\"").Append(id)
           .Append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(N(width))
           .Append("\" height=\"").Append(N(height)).Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
           .Append("\" role=\"img\"><title>").Append(HtmlText.Escape(title)).Append("</title>\n");
    }

    public SvgWriter Rect(double x, double y, double w, double h, string fill, double opacity = 1, string? cls = null)
    {
        _sb.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(0, w)))
           .Append("\" height=\"").Append(N(Math.Max(0, h))).Append("\" fill=\"").Append(fill).Append('"');
        if (opacity < 1)
        {
            _sb.Append(" fill-opacity=\"").Append(N(opacity)).Append('"');
        }

        if (cls is not null)
        {
            _sb.Append(" class=\"").Append(cls).Append('"');
        }

        _sb.Append("/>\n");
        return this;
    }

    public SvgWriter Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, bool dashed = false)
    {
        _sb.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2))
           .Append("\" y2=\"").Append(N(y2)).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append('"');
        if (dashed)
        {
            _sb.Append(" stroke-dasharray=\"4 3\"");
        }

        _sb.Append("/>\n");
        return this;
    }

    public SvgWriter Text(double x, double y, string text, string anchor = "start", double size = 11, string fill = "#333", double rotate = 0)
    {
        _sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" font-size=\"").Append(N(size))
           .Append("\" text-anchor=\"").Append(anchor).Append("\" fill=\"").Append(fill).Append('"');
        if (rotate != 0)
        {
            _sb.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        }

        _sb.Append('>').Append(HtmlText.Escape(text)).Append("</text>\n");
        return this;
    }

    public override string ToString() => _sb + "</svg>\n";

    /// <summary>Coordinates to two decimals: sub-pixel precision is invisible and longer numbers only bloat the page.</summary>
    public static string N(double v)
    {
        var rounded = double.IsFinite(v) ? Math.Round(v, 2) : 0;
        // Negative zero would print as "-0".
        return (rounded == 0 ? 0 : rounded).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
    }
}
