using System.Globalization;
using System.Text;

namespace PipelineGate.Tensors;

/// <summary>
/// The dict literal in a .npy preamble. numpy writes it with <c>repr</c> and reads it with a literal
/// evaluator, so other writers (hand-rolled C++, Rust, Julia) vary key order, quoting, spacing and
/// trailing commas; this parser accepts the Python literal subset they use instead of matching
/// numpy's exact spelling.
/// </summary>
internal sealed class NpyHeader
{
    private const string Hint = "Re-create the file with numpy.save; the header must be a dict like {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.";

    // numpy leaves this many characters of room after the dict so that the leading axis can be
    // grown in place; writers that want byte-identical output must reserve the same.
    private const int GrowthAxisMaxDigits = 21;

    private NpyHeader(object descr, bool fortranOrder, long[] shape)
    {
        Descr = descr;
        FortranOrder = fortranOrder;
        Shape = shape;
    }

    /// <summary>A dtype string such as <c>&lt;f4</c>, or a list for a structured dtype.</summary>
    public object Descr { get; }

    public bool FortranOrder { get; }

    public long[] Shape { get; }

    public static NpyHeader Parse(string text, TensorFileSource source)
    {
        object? value;
        try
        {
            value = new PythonLiteralParser(text).ParseDocument();
        }
        catch (FormatException ex)
        {
            throw source.Invalid($"The .npy header is not a readable Python dict literal: {ex.Message}. Header: {Excerpt(text)}", Hint, ex);
        }

        if (value is not Dictionary<string, object?> dict)
        {
            throw source.Invalid($"The .npy header must be a dict with 'descr', 'fortran_order' and 'shape'. Header: {Excerpt(text)}", Hint);
        }

        // Unknown keys are ignored rather than rejected: they cannot change how the data is laid out.
        var descr = Required(dict, "descr", text, source);
        var fortran = Required(dict, "fortran_order", text, source);
        var shapeValue = Required(dict, "shape", text, source);

        if (descr is not (string or List<object?>))
        {
            throw source.Invalid($"The .npy header's 'descr' must be a dtype string such as '<f4', found {Describe(descr)}.", Hint);
        }

        if (fortran is not bool fortranOrder)
        {
            throw source.Invalid($"The .npy header's 'fortran_order' must be True or False, found {Describe(fortran)}.", Hint);
        }

        return new NpyHeader(descr, fortranOrder, ParseShape(shapeValue, source));
    }

    /// <summary>The header text numpy's <c>np.save</c> writes for a C-order array, before alignment padding.</summary>
    public static string Format(string descr, IReadOnlyList<long> shape)
    {
        // numpy emits repr(dict) with sorted keys and a trailing ", " before the closing brace.
        var sb = new StringBuilder(128);
        sb.Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': ");
        AppendShape(sb, shape);
        sb.Append(", }");
        if (shape.Count > 0)
        {
            var digits = shape[0].ToString(CultureInfo.InvariantCulture).Length;
            sb.Append(' ', Math.Max(0, GrowthAxisMaxDigits - digits));
        }

        return sb.ToString();
    }

    /// <summary>A shape spelled as Python's tuple repr: <c>()</c>, <c>(3,)</c>, <c>(2, 3)</c>.</summary>
    public static string ShapeText(IReadOnlyList<long> shape)
    {
        var sb = new StringBuilder();
        AppendShape(sb, shape);
        return sb.ToString();
    }

    private static void AppendShape(StringBuilder sb, IReadOnlyList<long> shape)
    {
        sb.Append('(');
        for (var i = 0; i < shape.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        if (shape.Count == 1)
        {
            sb.Append(',');
        }

        sb.Append(')');
    }

    private static object? Required(Dictionary<string, object?> dict, string key, string text, TensorFileSource source)
    {
        if (!dict.TryGetValue(key, out var value))
        {
            throw source.Invalid($"The .npy header has no '{key}' key; expected 'descr', 'fortran_order' and 'shape'. Header: {Excerpt(text)}", Hint);
        }

        return value;
    }

    private static long[] ParseShape(object? value, TensorFileSource source)
    {
        IReadOnlyList<object?> items = value switch
        {
            object?[] tuple => tuple,
            List<object?> list => list,

            // Some hand-written writers emit "(3)" for a 1-D shape, which Python reads as a bare int.
            long single => [single],
            _ => throw source.Invalid($"The .npy header's 'shape' must be a tuple of non-negative integers, found {Describe(value)}.", Hint),
        };

        var shape = new long[items.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            if (items[i] is not long d || d < 0)
            {
                throw source.Invalid($"The .npy header's 'shape' must be a tuple of non-negative integers, found {Describe(items[i])} at position {i.ToString(CultureInfo.InvariantCulture)}.", Hint);
            }

            shape[i] = d;
        }

        return shape;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string s => "'" + s + "'",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        object?[] t => "(" + string.Join(", ", t.Select(Describe)) + (t.Length == 1 ? ",)" : ")"),
        List<object?> l => "[" + string.Join(", ", l.Select(Describe)) + "]",
        Dictionary<string, object?> => "a dict",
        _ => value.ToString() ?? "?",
    };

    private static string Excerpt(string text)
    {
        var t = text.TrimEnd(' ', '\n', '\r', '\t', '\0');
        return t.Length <= 200 ? t : string.Concat(t.AsSpan(0, 200), "...");
    }
}
