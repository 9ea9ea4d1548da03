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
            value = new Parser(text).ParseDocument();
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

    /// <summary>
    /// Recursive descent over the Python literal subset: dicts, tuples, lists, strings, integers,
    /// True/False/None. Values become Dictionary, object?[] (tuple), List (list), string, long, bool, null.
    /// </summary>
    private sealed class Parser(string text)
    {
        private const int MaxDepth = 32;
        private int _pos;

        public object? ParseDocument()
        {
            var value = ParseValue(0);

            // numpy pads with spaces and a newline; a few writers pad with NULs instead.
            while (_pos < text.Length && (IsWhitespace(text[_pos]) || text[_pos] == '\0'))
            {
                _pos++;
            }

            if (_pos != text.Length)
            {
                throw Fail("unexpected text after the end of the dict");
            }

            return value;
        }

        private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

        private void SkipWhitespace()
        {
            while (_pos < text.Length && IsWhitespace(text[_pos]))
            {
                _pos++;
            }
        }

        private FormatException Fail(string what)
            => new(what + " at character " + _pos.ToString(CultureInfo.InvariantCulture));

        private object? ParseValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Fail("nesting too deep");
            }

            SkipWhitespace();
            if (_pos >= text.Length)
            {
                throw Fail("unexpected end of header");
            }

            var c = text[_pos];
            switch (c)
            {
                case '{':
                    return ParseDict(depth);
                case '(':
                    return ParseSequence(')', depth, isTuple: true);
                case '[':
                    return ParseSequence(']', depth, isTuple: false);
                case '\'' or '"':
                    return ParseString();
                case '-' or '+':
                    return ParseInteger();
            }

            if (char.IsAsciiDigit(c))
            {
                return ParseInteger();
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                {
                    _pos++;
                }

                var word = text[start.._pos];

                // Python 2 era writers may prefix strings (u'<f4', b'<f4').
                if (word is "u" or "b" or "U" or "B" && _pos < text.Length && text[_pos] is '\'' or '"')
                {
                    return ParseString();
                }

                return word switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    _ => throw Fail($"unknown name '{word}'"),
                };
            }

            throw Fail($"unexpected character '{c}'");
        }

        private Dictionary<string, object?> ParseDict(int depth)
        {
            _pos++;
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipWhitespace();
                if (_pos < text.Length && text[_pos] == '}')
                {
                    _pos++;
                    return dict;
                }

                if (ParseValue(depth + 1) is not string key)
                {
                    throw Fail("dict keys must be strings");
                }

                SkipWhitespace();
                Expect(':');
                dict[key] = ParseValue(depth + 1);
                SkipWhitespace();
                if (_pos < text.Length && text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }

                Expect('}');
                return dict;
            }
        }

        private object? ParseSequence(char close, int depth, bool isTuple)
        {
            _pos++;
            var items = new List<object?>();
            var sawComma = false;
            while (true)
            {
                SkipWhitespace();
                if (_pos < text.Length && text[_pos] == close)
                {
                    _pos++;
                    break;
                }

                items.Add(ParseValue(depth + 1));
                SkipWhitespace();
                if (_pos < text.Length && text[_pos] == ',')
                {
                    _pos++;
                    sawComma = true;
                    continue;
                }

                Expect(close);
                break;
            }

            if (!isTuple)
            {
                return items;
            }

            // "(x)" without a comma is only grouping in Python, not a one-element tuple.
            return items.Count == 1 && !sawComma ? items[0] : items.ToArray();
        }

        private string ParseString()
        {
            var quote = text[_pos++];
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                {
                    throw Fail("unterminated string");
                }

                var c = text[_pos++];
                if (c == quote)
                {
                    return sb.ToString();
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                if (_pos >= text.Length)
                {
                    throw Fail("unterminated string");
                }

                var e = text[_pos++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '0': sb.Append('\0'); break;
                    case '\\' or '\'' or '"': sb.Append(e); break;
                    case 'x': sb.Append(HexChar(2)); break;
                    case 'u': sb.Append(HexChar(4)); break;
                    default:
                        // Python keeps unknown escapes verbatim.
                        sb.Append('\\').Append(e);
                        break;
                }
            }
        }

        private char HexChar(int digits)
        {
            if (_pos + digits > text.Length
                || !int.TryParse(text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw Fail("bad escape sequence");
            }

            _pos += digits;
            return (char)code;
        }

        private long ParseInteger()
        {
            var start = _pos;
            if (text[_pos] is '-' or '+')
            {
                _pos++;
            }

            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }

            var digits = text.AsSpan(start, _pos - start);

            // Python 2 wrote long integers with an L suffix: (3L, 4L).
            if (_pos < text.Length && text[_pos] is 'L' or 'l')
            {
                _pos++;
            }

            if (_pos < text.Length && (text[_pos] is '.' or 'e' or 'E' or 'j' or 'x' or 'X' || char.IsAsciiLetterOrDigit(text[_pos])))
            {
                throw Fail("only integers are allowed here");
            }

            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw Fail($"'{digits}' is not an integer that fits in 64 bits");
            }

            return value;
        }

        private void Expect(char c)
        {
            if (_pos >= text.Length)
            {
                throw Fail($"expected '{c}' but the header ended");
            }

            if (text[_pos] != c)
            {
                throw Fail($"expected '{c}' but found '{text[_pos]}'");
            }

            _pos++;
        }
    }
}
