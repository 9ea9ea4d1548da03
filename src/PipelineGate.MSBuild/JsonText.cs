using System.Globalization;
using System.Text;

namespace PipelineGate.MSBuild;

/// <summary>
/// A small JSON reader for results.json. The task targets netstandard2.0 and runs inside MSBuild on .NET
/// Framework too, where System.Text.Json is not part of the platform; shipping a copy beside the task would
/// clash with the one MSBuild loads. Objects become dictionaries, arrays lists, numbers doubles (invariant).
/// </summary>
internal sealed class JsonText
{
    private readonly string _text;
    private int _pos;

    private JsonText(string text) => _text = text;

    /// <summary>Parses a whole document; throws <see cref="FormatException"/> with the offset on bad input.</summary>
    public static object? Parse(string text)
    {
        var reader = new JsonText(text);
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._pos != text.Length)
        {
            throw reader.Error("unexpected text after the document");
        }

        return value;
    }

    private object? ReadValue()
    {
        SkipWhitespace();
        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of the document");
        }

        switch (_text[_pos])
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                return ReadString();
            case 't':
                Expect("true");
                return true;
            case 'f':
                Expect("false");
                return false;
            case 'n':
                Expect("null");
                return null;
            default:
                return ReadNumber();
        }
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        _pos++;
        SkipWhitespace();
        if (TryConsume('}'))
        {
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != '"')
            {
                throw Error("expected a property name");
            }

            var name = ReadString();
            SkipWhitespace();
            if (!TryConsume(':'))
            {
                throw Error("expected ':'");
            }

            result[name] = ReadValue();
            SkipWhitespace();
            if (TryConsume('}'))
            {
                return result;
            }

            if (!TryConsume(','))
            {
                throw Error("expected ',' or '}'");
            }
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        _pos++;
        SkipWhitespace();
        if (TryConsume(']'))
        {
            return result;
        }

        while (true)
        {
            result.Add(ReadValue());
            SkipWhitespace();
            if (TryConsume(']'))
            {
                return result;
            }

            if (!TryConsume(','))
            {
                throw Error("expected ',' or ']'");
            }
        }
    }

    private string ReadString()
    {
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error("unterminated escape");
            }

            var e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    // Surrogate pairs arrive as two \u escapes; appending both halves rebuilds the character.
                    if (_pos + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("invalid \\u escape");
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error("invalid escape");
            }
        }
    }

    private double ReadNumber()
    {
        var start = _pos;
        while (_pos < _text.Length && "+-0123456789.eE".IndexOf(_text[_pos]) >= 0)
        {
            _pos++;
        }

        if (start == _pos
            || !double.TryParse(_text.Substring(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error("expected a value");
        }

        return value;
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0)
        {
            throw Error("expected '" + literal + "'");
        }

        _pos += literal.Length;
    }

    private bool TryConsume(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t' || _text[_pos] == '\n' || _text[_pos] == '\r'))
        {
            _pos++;
        }
    }

    private FormatException Error(string what) =>
        new(string.Format(CultureInfo.InvariantCulture, "invalid JSON at offset {0}: {1}.", _pos, what));
}
