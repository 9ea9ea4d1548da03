using System.Text;
using PipelineGate.Diagnostics;

namespace PipelineGate.Measure.Text;

/// <summary>Reads a text file of evaluation sentences: strict UTF-8 (a BOM is allowed), one sample per non-blank line.</summary>
public static class TextLines
{
    public static IReadOnlyList<string> Read(string path)
    {
        var (text, bytes) = ReadUtf8(path, "text file", "Check the 'text' path (relative paths resolve against the config's folder) or --text.");
        var lines = text.Split('\n').Select(static l => l.TrimEnd('\r')).Where(static l => !string.IsNullOrWhiteSpace(l)).ToArray();
        if (lines.Length == 0)
        {
            throw new PipelineGateException(PgCode.TextFileEmpty,
                bytes.Length == 0 ? "The text file is empty; expected one sentence (sample) per line." : "The text file holds only blank lines; expected one sentence (sample) per line.",
                path, hint: "Fill it with real text like the model's inputs in production, one sample per line (blank lines are skipped).");
        }

        return lines;
    }

    /// <summary>A file's text, decoded as strict UTF-8 (a BOM allowed): a missing file is PG2026, bytes that are not UTF-8 PG2028.</summary>
    internal static (string Text, byte[] Bytes) ReadUtf8(string path, string what, string whereHint)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new PipelineGateException(PgCode.DataNotFound, $"The {what} was not found at {Path.GetFullPath(path)}.", path, hint: whereHint);
        }

        var bytes = File.ReadAllBytes(path);
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            return (strict.GetString(bytes, start, bytes.Length - start), bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var line = 1 + bytes.AsSpan(0, Math.Clamp(ex.Index, 0, bytes.Length)).Count((byte)'\n');
            throw new PipelineGateException(PgCode.TextFileNotUtf8,
                $"The {what} is not UTF-8: the bytes at offset {ex.Index} (line {line}) are not a UTF-8 sequence.", path, line,
                hint: "Save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8); tokenizers read text as Unicode and a guessed code page would change the tokens.");
        }
    }
}
