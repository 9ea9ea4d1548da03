using System.Text;
using PipelineGate.Diagnostics;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Splits CSV text into records (RFC 4180: quoted fields with "" escapes may span lines) and keeps the
/// 1-based line and column where every field starts, so a bad cell can be reported where an editor
/// will show it.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, string file)
{
    private int _line = 1;
    private int _column = 1;

    /// <summary>The next record, or null at the end; lines with nothing on them are skipped.</summary>
    public List<CsvField>? Next()
    {
        while (true)
        {
            var peek = reader.Peek();
            if (peek < 0)
            {
                return null;
            }

            if (peek is '\n' or '\r')
            {
                ReadNewline();
                continue;
            }

            return ReadRecord();
        }
    }

    private List<CsvField> ReadRecord()
    {
        var fields = new List<CsvField>();
        var text = new StringBuilder();
        while (true)
        {
            var line = _line;
            var column = _column;
            text.Clear();
            var quoted = false;
            if (reader.Peek() == '"')
            {
                quoted = true;
                Read();
                while (true)
                {
                    var c = reader.Peek();
                    if (c < 0)
                    {
                        throw new PipelineGateException(
                            PgCode.TensorFileInvalid,
                            "A quoted field starts here but its closing quote never comes.",
                            file,
                            line,
                            column,
                            hint: "Close the quote, or double quotes that belong inside a field (\"\").");
                    }

                    if (c == '"')
                    {
                        Read();
                        if (reader.Peek() == '"')
                        {
                            Read();
                            text.Append('"');
                            continue;
                        }

                        break;
                    }

                    if (c is '\n' or '\r')
                    {
                        ReadNewline();
                        text.Append('\n');
                        continue;
                    }

                    text.Append((char)Read());
                }
            }

            // Unquoted text, or whatever follows a closing quote up to the delimiter.
            while (reader.Peek() is var c && c >= 0 && c != delimiter && c != '\n' && c != '\r')
            {
                text.Append((char)Read());
            }

            fields.Add(new CsvField(text.ToString(), line, column, quoted));
            var next = reader.Peek();
            if (next == delimiter)
            {
                Read();
                continue;
            }

            if (next >= 0)
            {
                ReadNewline();
            }

            return fields;
        }
    }

    private int Read()
    {
        _column++;
        return reader.Read();
    }

    private void ReadNewline()
    {
        if (reader.Read() == '\r' && reader.Peek() == '\n')
        {
            reader.Read();
        }

        _line++;
        _column = 1;
    }
}
