using System.Globalization;
using System.Text;

namespace PipelineGate.Tensors;

/// <summary>
/// Recursive descent over the Python literal subset: dicts, tuples, lists, strings, integers,
/// True/False/None. Values become Dictionary, object?[] (tuple), List (list), string, long, bool, null.
/// </summary>
internal sealed class PythonLiteralParser(string text)
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
