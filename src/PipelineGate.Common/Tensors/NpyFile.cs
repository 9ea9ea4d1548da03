using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.IO;

namespace PipelineGate.Tensors;

/// <summary>
/// Reads and writes numpy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0, NEP 1). Reading accepts
/// every numeric dtype in either byte order and Fortran or C order and yields little-endian C-order
/// <see cref="TensorData"/>; writing produces the same bytes as <c>numpy.save</c>.
/// </summary>
public static class NpyFile
{
    private const int ArrayAlign = 64;
    private const int MagicLength = 6;

    // A real header is a few hundred bytes; the cap keeps a corrupt length field from allocating gigabytes.
    private const uint MaxHeaderLength = 16 * 1024 * 1024;

    private const string ResaveHint = "Re-create the file with numpy.save (np.save(path, array)).";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file. Errors are <see cref="PipelineGateException"/>s naming the file.</summary>
    public static TensorData Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = TensorFiles.OpenRead(path, "a .npy file");
        return Read(stream, new TensorFileSource(path, null));
    }

    /// <summary>
    /// Reads one array from the current position of <paramref name="stream"/> and leaves it just after
    /// the array's data, so arrays saved one after another into the same stream can be read in turn.
    /// <paramref name="displayName"/> names the source in error messages.
    /// </summary>
    public static TensorData Read(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, new TensorFileSource(displayName, null));
    }

    /// <summary>Writes a .npy file atomically: readers never see a half-written file.</summary>
    public static void Write(string path, TensorData tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensor);

        // Build the preamble first so an unsupported type fails before any file is touched.
        var preamble = Preamble(tensor, new TensorFileSource(path, null));
        AtomicFile.Write(path, s =>
        {
            s.Write(preamble);
            s.Write(tensor.Bytes);
        });
    }

    /// <summary>Writes a .npy array (little-endian, C order, the bytes numpy.save writes) to a stream.</summary>
    public static void Write(Stream stream, TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        Write(stream, tensor, new TensorFileSource(null, null));
    }

    internal static void Write(Stream stream, TensorData tensor, TensorFileSource source)
    {
        stream.Write(Preamble(tensor, source));
        stream.Write(tensor.Bytes);
    }

    /// <summary>Magic, version, header length and the space-padded header, exactly as numpy lays them out.</summary>
    internal static byte[] Preamble(TensorData tensor, TensorFileSource source)
    {
        var descr = NpyDescr.For(tensor.ElementType) ?? throw UnsupportedForWrite(tensor, source);

        // The header is pure ASCII here, so the latin-1 of versions 1.0 and 2.0 is enough.
        var header = Encoding.ASCII.GetBytes(NpyHeader.Format(descr, tensor.Shape));
        var hlen = header.Length + 1; // the closing '\n'

        // Like numpy: version 1.0 while the length fits its 16-bit field, otherwise 2.0. The padding is
        // "64 - (length % 64)", so an already aligned header still gets a full 64 spaces.
        var major = 1;
        var prefix = MagicLength + 2 + 2;
        var pad = ArrayAlign - ((prefix + hlen) % ArrayAlign);
        if (hlen + pad > ushort.MaxValue)
        {
            major = 2;
            prefix = MagicLength + 2 + 4;
            pad = ArrayAlign - ((prefix + hlen) % ArrayAlign);
        }

        var result = new byte[prefix + hlen + pad];
        Magic.CopyTo(result);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)(hlen + pad));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)(hlen + pad));
        }

        header.CopyTo(result, prefix);
        result.AsSpan(prefix + header.Length, pad).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    internal static TensorData Read(Stream stream, TensorFileSource source)
    {
        Span<byte> lead = stackalloc byte[8];
        var got = stream.ReadAtLeast(lead, lead.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            throw source.Invalid("The file is empty; expected a .npy array starting with the magic bytes \\x93NUMPY.", ResaveHint);
        }

        if (got < MagicLength || !lead[..MagicLength].SequenceEqual(Magic))
        {
            throw NotNpy(lead[..got], source);
        }

        if (got < lead.Length)
        {
            throw Truncated("format version", lead.Length, got, source);
        }

        var major = lead[6];
        var minor = lead[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw source.Invalid(
                $"Unsupported .npy format version {major.ToString(CultureInfo.InvariantCulture)}.{minor.ToString(CultureInfo.InvariantCulture)}; expected 1.0, 2.0 or 3.0.",
                "Re-save the array with numpy 1.x or 2.x (np.save), which writes one of the supported versions.");
        }

        Span<byte> lengthField = stackalloc byte[major == 1 ? 2 : 4];
        got = stream.ReadAtLeast(lengthField, lengthField.Length, throwOnEndOfStream: false);
        if (got < lengthField.Length)
        {
            throw Truncated("header length", lengthField.Length, got, source);
        }

        var headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField) : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > MaxHeaderLength)
        {
            throw source.Invalid(
                $"The .npy header claims to be {headerLength.ToString(CultureInfo.InvariantCulture)} bytes long; expected at most {MaxHeaderLength.ToString(CultureInfo.InvariantCulture)}. The file is corrupt.",
                ResaveHint);
        }

        var headerBytes = new byte[headerLength];
        got = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (got < headerBytes.Length)
        {
            throw Truncated("header", headerBytes.Length, got, source);
        }

        string headerText;
        try
        {
            // Version 3.0 exists only to allow UTF-8 (field names); 1.0 and 2.0 are latin-1.
            headerText = major == 3 ? StrictUtf8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw source.Invalid("The .npy version 3.0 header is not valid UTF-8.", ResaveHint, ex);
        }

        var header = NpyHeader.Parse(headerText, source);
        var (type, bigEndian) = ElementType(header, source);
        return ReadData(stream, header, type, bigEndian, source);
    }

    private static (TensorElementType Type, bool BigEndian) ElementType(NpyHeader header, TensorFileSource source)
    {
        if (header.Descr is not string descr)
        {
            throw source.Error(
                PgCode.TensorFileUnsupportedType,
                $"The array has a structured (record) dtype; expected a plain numeric dtype ({NpyDescr.SupportedList}).",
                "Save each field as its own array, e.g. np.savez(path, **{name: arr[name] for name in arr.dtype.names}).");
        }

        if (!NpyDescr.TryParse(descr, out var type, out var bigEndian, out var reason))
        {
            throw source.Error(
                PgCode.TensorFileUnsupportedType,
                $"The array's dtype '{descr}' holds {reason}; expected a numeric dtype ({NpyDescr.SupportedList}).",
                "Convert the array before saving, e.g. np.save(path, arr.astype(np.float32)); strings and objects cannot be model inputs from .npy.");
        }

        return (type, bigEndian);
    }

    private static TensorData ReadData(Stream stream, NpyHeader header, TensorElementType type, bool bigEndian, TensorFileSource source)
    {
        var shape = header.Shape;
        var shapeText = NpyHeader.ShapeText(shape);
        long byteCount;
        try
        {
            byteCount = checked(TensorData.ShapeElementCount(shape) * TensorElementTypeInfo.SizeOf(type));
        }
        catch (OverflowException ex)
        {
            throw source.Invalid($"The .npy shape {shapeText} has more elements than fit in 64 bits; the header is corrupt.", ResaveHint, ex);
        }

        if (byteCount > Array.MaxLength)
        {
            throw source.Invalid(
                $"The array {TensorElementTypeInfo.Name(type)}{shapeText} needs {byteCount.ToString(CultureInfo.InvariantCulture)} bytes; one tensor can hold at most {Array.MaxLength.ToString(CultureInfo.InvariantCulture)} bytes.",
                "Split the data into several smaller arrays (for example one file or .npz entry per batch).");
        }

        // Check against the length up front where possible so a truncated file does not first
        // allocate what the header promised.
        long available = long.MaxValue;
        if (stream.CanSeek)
        {
            available = Math.Max(0, stream.Length - stream.Position);
        }

        var data = new byte[Math.Min(byteCount, available)];
        var got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < byteCount)
        {
            throw source.Invalid(
                $"The data is truncated: the header declares {TensorElementTypeInfo.Name(type)}{shapeText} ({byteCount.ToString(CultureInfo.InvariantCulture)} bytes) but only {got.ToString(CultureInfo.InvariantCulture)} bytes follow the header.",
                "The file was probably cut off while being written, copied or downloaded; re-create or re-download it.");
        }

        if (bigEndian)
        {
            SwapBytes(data, NpyDescr.SwapUnit(type));
        }

        if (type == TensorElementType.Bool)
        {
            // numpy treats any non-zero byte as True; ONNX Runtime expects exactly 0 or 1.
            foreach (ref var b in data.AsSpan())
            {
                b = b != 0 ? (byte)1 : (byte)0;
            }
        }

        if (header.FortranOrder && shape.Length > 1 && data.Length > 0)
        {
            data = FortranToC(data, shape, TensorElementTypeInfo.SizeOf(type));
        }

        return TensorData.FromBytes(type, shape, data);
    }

    private static void SwapBytes(byte[] data, int unit)
    {
        var span = data.AsSpan();
        switch (unit)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(span);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(span);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(span);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }

    private static byte[] FortranToC(byte[] source, long[] shape, int elementSize)
    {
        var result = new byte[source.Length];
        switch (elementSize)
        {
            case 1: Transpose<byte>(source, result, shape); break;
            case 2: Transpose<ushort>(source, result, shape); break;
            case 4: Transpose<uint>(source, result, shape); break;
            case 8: Transpose<ulong>(source, result, shape); break;
            case 16: Transpose<Int128>(source, result, shape); break;
            default: throw new InvalidOperationException($"No transpose for {elementSize}-byte elements.");
        }

        return result;
    }

    /// <summary>
    /// Gathers a Fortran-order array into C order: walks the destination in C order with an odometer
    /// over the indices and keeps the matching Fortran offset up to date incrementally.
    /// </summary>
    private static void Transpose<T>(byte[] sourceBytes, byte[] destinationBytes, long[] shape)
        where T : unmanaged
    {
        var source = MemoryMarshal.Cast<byte, T>(sourceBytes.AsSpan());
        var destination = MemoryMarshal.Cast<byte, T>(destinationBytes.AsSpan());
        var rank = shape.Length;
        var fortranStride = new long[rank];
        long stride = 1;
        for (var k = 0; k < rank; k++)
        {
            fortranStride[k] = stride;
            stride *= shape[k];
        }

        var index = new long[rank];
        long offset = 0;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = source[checked((int)offset)];
            for (var k = rank - 1; k >= 0; k--)
            {
                offset += fortranStride[k];
                if (++index[k] < shape[k])
                {
                    break;
                }

                offset -= fortranStride[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    private static PipelineGateException NotNpy(ReadOnlySpan<byte> lead, TensorFileSource source)
    {
        if (lead.StartsWith("PK"u8))
        {
            return source.Invalid("This is a zip archive (probably an .npz), not a single .npy array.", "Read it as .npz, or point to a .npy file.");
        }

        if (lead.StartsWith("version "u8))
        {
            return source.Invalid("This looks like a Git LFS pointer file, not the .npy array it stands for.", "Run 'git lfs pull' (or enable LFS in CI checkout) to fetch the real file.");
        }

        return source.Invalid("Not a .npy file: it does not start with the magic bytes \\x93NUMPY.", ResaveHint);
    }

    private static PipelineGateException Truncated(string part, long expected, long got, TensorFileSource source)
        => source.Invalid(
            $"The .npy {part} is truncated: expected {expected.ToString(CultureInfo.InvariantCulture)} bytes, found {got.ToString(CultureInfo.InvariantCulture)}.",
            "The file was probably cut off while being written, copied or downloaded; re-create or re-download it.");

    private static PipelineGateException UnsupportedForWrite(TensorData tensor, TensorFileSource source)
    {
        var name = TensorElementTypeInfo.Name(tensor.ElementType);
        var target = source.File is null ? "the .npy stream" : ".npy";
        var hint = tensor.ElementType switch
        {
            TensorElementType.BFloat16 => "numpy has no bfloat16 dtype; convert the tensor to float32 first, or keep it as an ONNX tensor (.pb).",
            TensorElementType.String => "Strings have no fixed-size numpy dtype PipelineGate reads back; keep string tensors as ONNX tensors (.pb).",
            _ => "Convert the tensor to a numpy-compatible type first, or keep it as an ONNX tensor (.pb).",
        };
        return source.Error(
            PgCode.TensorFileUnsupportedType,
            $"Cannot write a {name} tensor to {target}: numpy has no matching dtype; expected one of {NpyDescr.SupportedList}.",
            hint);
    }
}
