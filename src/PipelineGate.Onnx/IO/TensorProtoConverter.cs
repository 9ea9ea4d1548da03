using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Converts between ONNX <see cref="TensorProto"/> (raw_data, the typed *_data fields, or external
/// data) and <see cref="TensorData"/>. The typed-field mapping is the one the ONNX IR specifies:
/// small integer, bool and 16-bit float types travel in int32_data, uint32/uint64 in uint64_data.
/// </summary>
public static class TensorProtoConverter
{
    /// <summary>Reads a tensor's elements. <paramref name="model"/> resolves external data; may be null when none is used.</summary>
    public static TensorData ToTensorData(TensorProto t, ModelFile? model = null, string? where = null)
    {
        var type = (TensorElementType)t.DataType;
        var shape = t.Dims.ToArray();
        var display = model?.DisplayPath;
        where ??= $"'{t.Name}'";
        long count;
        try
        {
            count = TensorData.ShapeElementCount(shape);
        }
        catch (ArgumentException)
        {
            throw new PipelineGateException(PgCode.TensorDataLengthMismatch, $"Tensor {where} has a negative dimension {Shapes.Text(shape.Select(static d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}.", display);
        }
        catch (OverflowException)
        {
            // Found by the fuzz harness: dims whose product does not fit in 64 bits.
            throw TooLarge(where, display, $"declares dims [{string.Join(",", shape)}] whose element count overflows 64 bits");
        }

        // Bounds before allocation: a tensor read into memory is one array, so its elements and bytes must fit in one
        // (more than 2^31-1 elements used to surface as an OverflowException from the typed-field copy).
        if (count > Array.MaxLength || TensorElementTypeInfo.ByteCount(type, count) > Array.MaxLength)
        {
            throw TooLarge(where, display, $"declares dims [{string.Join(",", shape)}], {count} elements of {TensorElementTypeInfo.Name(type)}: more than one array holds ({Array.MaxLength} bytes or elements)");
        }

        if (type == TensorElementType.String)
        {
            if (t.StringData.Count != count)
            {
                throw LengthMismatch(where, display, $"{count} strings", $"{t.StringData.Count}");
            }

            return TensorData.FromStrings(t.StringData.Select(static s => s.ToStringUtf8()).ToArray(), shape);
        }

        if (TensorElementTypeInfo.ByteCount(type, 1) == 0 && type is not (TensorElementType.Int4 or TensorElementType.UInt4 or TensorElementType.Float4E2M1))
        {
            throw new PipelineGateException(PgCode.TensorFileUnsupportedType, $"Tensor {where} has element type {t.DataType}, which PipelineGate cannot read.", display);
        }

        var expected = TensorElementTypeInfo.ByteCount(type, count);
        byte[] bytes;
        if (ExternalDataInfo.IsExternal(t))
        {
            bytes = ReadExternal(t, model, where, expected);
        }
        else if (t.HasRawData)
        {
            if (t.RawData.Length != expected)
            {
                throw LengthMismatch(where, display, $"{expected} bytes of raw_data", $"{t.RawData.Length}");
            }

            bytes = t.RawData.ToByteArray();
        }
        else
        {
            bytes = FromTypedFields(t, type, count, expected, where, display);
        }

        return TensorData.FromBytes(type, shape, bytes);
    }

    /// <summary>Builds a TensorProto holding the data in raw_data (strings in string_data).</summary>
    public static TensorProto FromTensorData(TensorData data, string name)
    {
        var t = new TensorProto { Name = name, DataType = (int)data.ElementType };
        t.Dims.AddRange(data.Shape);
        if (data.ElementType == TensorElementType.String)
        {
            t.StringData.AddRange(data.Strings!.Select(static s => ByteString.CopyFrom(s, Encoding.UTF8)));
        }
        else
        {
            t.RawData = ByteString.CopyFrom(data.Bytes);
        }

        return t;
    }

    /// <summary>Number of elements a tensor's stored data holds, or null when it cannot be told without reading external data.</summary>
    public static long? StoredByteLength(TensorProto t)
    {
        var type = (TensorElementType)t.DataType;
        if (ExternalDataInfo.IsExternal(t))
        {
            return ExternalDataInfo.TryParse(t, out _)?.Length;
        }

        if (t.HasRawData)
        {
            return t.RawData.Length;
        }

        var elementsInFields = TypedFieldCount(t, type);
        return type switch
        {
            TensorElementType.Complex64 or TensorElementType.Complex128 => elementsInFields / 2 * TensorElementTypeInfo.SizeOf(type),
            TensorElementType.Int4 or TensorElementType.UInt4 or TensorElementType.Float4E2M1 => elementsInFields,
            TensorElementType.String => null,
            _ => elementsInFields * TensorElementTypeInfo.SizeOf(type),
        };
    }

    private static long TypedFieldCount(TensorProto t, TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Complex64 => t.FloatData.Count,
        TensorElementType.Double or TensorElementType.Complex128 => t.DoubleData.Count,
        TensorElementType.Int64 => t.Int64Data.Count,
        TensorElementType.UInt32 or TensorElementType.UInt64 => t.Uint64Data.Count,
        TensorElementType.String => t.StringData.Count,
        _ => t.Int32Data.Count,
    };

    private static byte[] FromTypedFields(TensorProto t, TensorElementType type, long count, long expected, string where, string? display)
    {
        var n = checked((int)count);
        var bytes = new byte[expected];
        void Check(int have, int want)
        {
            if (have != want)
            {
                throw LengthMismatch(where, display, $"{want} values in its typed data field", $"{have}");
            }
        }

        switch (type)
        {
            case TensorElementType.Float:
                Check(t.FloatData.Count, n);
                MemoryMarshal.AsBytes(t.FloatData.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.Complex64:
                Check(t.FloatData.Count, 2 * n);
                MemoryMarshal.AsBytes(t.FloatData.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.Double:
                Check(t.DoubleData.Count, n);
                MemoryMarshal.AsBytes(t.DoubleData.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.Complex128:
                Check(t.DoubleData.Count, 2 * n);
                MemoryMarshal.AsBytes(t.DoubleData.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.Int64:
                Check(t.Int64Data.Count, n);
                MemoryMarshal.AsBytes(t.Int64Data.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.UInt64:
                Check(t.Uint64Data.Count, n);
                MemoryMarshal.AsBytes(t.Uint64Data.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.UInt32:
                Check(t.Uint64Data.Count, n);
                for (var i = 0; i < n; i++)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), (uint)t.Uint64Data[i]);
                }

                break;
            case TensorElementType.Int32:
                Check(t.Int32Data.Count, n);
                MemoryMarshal.AsBytes(t.Int32Data.ToArray().AsSpan()).CopyTo(bytes);
                break;
            case TensorElementType.Int4 or TensorElementType.UInt4 or TensorElementType.Float4E2M1:
                // Two 4-bit values are packed into each int32_data element's low byte.
                Check(t.Int32Data.Count, checked((int)expected));
                for (var i = 0; i < expected; i++)
                {
                    bytes[i] = (byte)t.Int32Data[i];
                }

                break;
            default:
                // 8- and 16-bit types (and bool) hold one element per int32_data entry, in its low bits.
                Check(t.Int32Data.Count, n);
                var size = TensorElementTypeInfo.SizeOf(type);
                for (var i = 0; i < n; i++)
                {
                    var v = t.Int32Data[i];
                    if (size == 1)
                    {
                        bytes[i] = (byte)v;
                    }
                    else
                    {
                        BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (ushort)v);
                    }
                }

                break;
        }

        return bytes;
    }

    private static byte[] ReadExternal(TensorProto t, ModelFile? model, string where, long expected)
    {
        if (model is null)
        {
            throw new PipelineGateException(PgCode.ExternalDataMissing, $"Tensor {where} is stored in external data, but no model file was given to resolve it.");
        }

        var (path, info) = ExternalDataResolver.Resolve(model, t, where);
        if (info.Length is { } len && len != expected)
        {
            throw LengthMismatch(where, model.DisplayPath, $"{expected} bytes of external data", $"{len}");
        }

        // Bounds first, allocation after: a declared size is only believed once the file is seen to hold it
        // (a hostile model can declare any length; found by the fuzz harness as an OverflowException).
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        if (info.Offset > fs.Length || expected > fs.Length - info.Offset)
        {
            throw new PipelineGateException(PgCode.ExternalDataOutOfRange,
                $"Tensor {where} needs {expected} bytes at offset {info.Offset} of '{info.Location}', but the file holds {fs.Length} bytes.",
                model.DisplayPath, hint: "The data file is truncated or the model's external-data entry is wrong; restore both together.");
        }

        var bytes = new byte[expected];
        fs.Position = info.Offset;
        var read = fs.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read != bytes.Length)
        {
            throw new PipelineGateException(PgCode.ExternalDataOutOfRange,
                $"Tensor {where} needs {expected} bytes at offset {info.Offset} of '{info.Location}', but the file ends after {read}.",
                model.DisplayPath, hint: "The data file is truncated; restore it together with the model.");
        }

        return bytes;
    }

    private static PipelineGateException TooLarge(string where, string? display, string what) =>
        new(PgCode.TensorTooLarge, $"Tensor {where} {what}; PipelineGate reads tensors up to 2 GiB each.", display,
            hint: "No real model has such a tensor: the file is corrupt or hostile; re-export it from its source (or split the tensor).");

    private static PipelineGateException LengthMismatch(string where, string? display, string expected, string actual) =>
        new(PgCode.TensorDataLengthMismatch,
            $"Tensor {where} has data that does not match its shape and type: expected {expected}, found {actual}.",
            display, hint: "The model file is corrupt or was written by a faulty exporter; re-export it.");
}
