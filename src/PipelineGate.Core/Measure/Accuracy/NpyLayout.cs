using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Where the data of a plain .npy array starts and how it is laid out, read from the preamble alone so
/// rows can be fetched without loading the array. Only the layout numpy.save writes on little-endian
/// machines is recognised (C order, little-endian numeric dtype); for anything else
/// <see cref="TryRead"/> returns null and the caller loads the array with <see cref="NpyFile"/>, which
/// converts byte order and Fortran order and reports malformed files with their proper codes.
/// </summary>
internal readonly record struct NpyLayout(TensorElementType Type, long[] Shape, long DataOffset)
{
    // numpy headers are a few hundred bytes; a larger claim is left to NpyFile to diagnose.
    private const int MaxHeaderLength = 1 << 20;

    public long DataBytes => TensorData.ShapeElementCount(Shape) * TensorElementTypeInfo.SizeOf(Type);

    public static NpyLayout? TryRead(Stream stream)
    {
        Span<byte> lead = stackalloc byte[12];
        if (stream.ReadAtLeast(lead[..8], 8, throwOnEndOfStream: false) < 8
            || lead[0] != 0x93 || !lead[1..6].SequenceEqual("NUMPY"u8) || lead[7] != 0)
        {
            return null;
        }

        var major = lead[6];
        if (major is < 1 or > 3)
        {
            return null;
        }

        var fieldSize = major == 1 ? 2 : 4;
        if (stream.ReadAtLeast(lead.Slice(8, fieldSize), fieldSize, throwOnEndOfStream: false) < fieldSize)
        {
            return null;
        }

        var headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(lead[8..])
            : (long)BinaryPrimitives.ReadUInt32LittleEndian(lead[8..]);
        if (headerLength > MaxHeaderLength)
        {
            return null;
        }

        var header = new byte[headerLength];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            return null;
        }

        // The keys and values that matter are ASCII in every version, so latin-1 decoding is enough.
        var text = Encoding.Latin1.GetString(header);
        var descr = StringValue(text, "descr");
        var fortran = IdentifierValue(text, "fortran_order");
        var shape = ShapeValue(text);
        if (descr is null || fortran is null || shape is null || TypeOf(descr) is not { } type)
        {
            return null;
        }

        // Fortran order only changes the layout when more than one axis is longer than one.
        if (fortran is not ("True" or "False") || (fortran == "True" && shape.Count(static d => d > 1) > 1))
        {
            return null;
        }

        return new NpyLayout(type, shape, 8 + fieldSize + headerLength);
    }

    private static TensorElementType? TypeOf(string descr)
    {
        if (descr.Length < 2)
        {
            return null;
        }

        // '=' is native order; only little-endian machines write the data as we will read it.
        var order = descr[0];
        var little = order == '<' || (order == '=' && BitConverter.IsLittleEndian);
        TensorElementType? type = descr[1..] switch
        {
            "f2" => TensorElementType.Float16,
            "f4" => TensorElementType.Float,
            "f8" => TensorElementType.Double,
            "i1" => TensorElementType.Int8,
            "u1" => TensorElementType.UInt8,
            "b1" => TensorElementType.Bool,
            "i2" => TensorElementType.Int16,
            "u2" => TensorElementType.UInt16,
            "i4" => TensorElementType.Int32,
            "u4" => TensorElementType.UInt32,
            "i8" => TensorElementType.Int64,
            "u8" => TensorElementType.UInt64,
            "c8" => TensorElementType.Complex64,
            "c16" => TensorElementType.Complex128,
            _ => null,
        };
        if (type is not { } t)
        {
            return null;
        }

        var oneByte = TensorElementTypeInfo.SizeOf(t) == 1;
        return (oneByte && (order == '|' || little)) || (!oneByte && little) ? t : null;
    }

    /// <summary>The index just after "'key':" (either quote style) and any spaces, or -1.</summary>
    private static int ValueStart(string text, string key)
    {
        foreach (var quote in "'\"")
        {
            var needle = quote + key + quote;
            var at = text.IndexOf(needle, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var i = at + needle.Length;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != ':')
            {
                return -1;
            }

            i++;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            return i;
        }

        return -1;
    }

    private static string? StringValue(string text, string key)
    {
        var i = ValueStart(text, key);
        if (i < 0 || i >= text.Length || text[i] is not ('\'' or '"'))
        {
            return null;
        }

        var end = text.IndexOf(text[i], i + 1);
        return end < 0 ? null : text[(i + 1)..end];
    }

    private static string? IdentifierValue(string text, string key)
    {
        var i = ValueStart(text, key);
        if (i < 0)
        {
            return null;
        }

        var end = i;
        while (end < text.Length && char.IsAsciiLetter(text[end]))
        {
            end++;
        }

        return text[i..end];
    }

    private static long[]? ShapeValue(string text)
    {
        var i = ValueStart(text, "shape");
        if (i < 0 || i >= text.Length || text[i] != '(')
        {
            return null;
        }

        var end = text.IndexOf(')', i);
        if (end < 0)
        {
            return null;
        }

        var dims = new List<long>();
        foreach (var part in text[(i + 1)..end].Split(','))
        {
            var p = part.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            // Python 2 era files may write longs as "3L".
            if (p.EndsWith('L'))
            {
                p = p[..^1];
            }

            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                return null;
            }

            dims.Add(d);
        }

        return [.. dims];
    }
}
