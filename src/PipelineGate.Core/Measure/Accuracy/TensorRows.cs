using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>Slicing and joining tensors along the leading (sample) axis.</summary>
internal static class TensorRows
{
    /// <summary>Elements per sample: the product of every dimension after the first.</summary>
    public static long RowElements(IReadOnlyList<long> shape)
    {
        long n = 1;
        for (var i = 1; i < shape.Count; i++)
        {
            n = checked(n * shape[i]);
        }

        return n;
    }

    /// <summary>Bytes per sample; sub-byte types cannot be cut at sample boundaries in general.</summary>
    public static long RowBytes(TensorElementType type, IReadOnlyList<long> shape, string file, string array)
    {
        var size = TensorElementTypeInfo.SizeOf(type);
        if (size == 0 && type != TensorElementType.String)
        {
            throw new PipelineGateException(
                PgCode.TensorFileUnsupportedType,
                $"Array '{array}' is {TensorElementTypeInfo.Name(type)}, a packed sub-byte type that cannot be split into samples.",
                file,
                hint: "Store the evaluation data unpacked (for example int8 or uint8) and let the model cast it.");
        }

        return checked(RowElements(shape) * size);
    }

    public static long[] WithLeading(IReadOnlyList<long> shape, long leading)
    {
        var result = shape.ToArray();
        result[0] = leading;
        return result;
    }

    public static TensorData Slice(TensorData tensor, int start, int count)
    {
        var shape = WithLeading(tensor.Shape, count);
        var row = RowElements(tensor.Shape);
        if (tensor.ElementType == TensorElementType.String)
        {
            var strings = tensor.Strings!.AsSpan(checked((int)(start * row)), checked((int)(count * row))).ToArray();
            return TensorData.FromStrings(strings, shape);
        }

        var rowBytes = row * TensorElementTypeInfo.SizeOf(tensor.ElementType);
        var bytes = tensor.Bytes.AsSpan(checked((int)(start * rowBytes)), checked((int)(count * rowBytes))).ToArray();
        return TensorData.FromBytes(tensor.ElementType, shape, bytes);
    }

    /// <summary>Adds a leading axis of length one (a single sample becomes a batch of one).</summary>
    public static TensorData AddBatchAxis(TensorData tensor)
    {
        long[] shape = [1, .. tensor.Shape];
        return tensor.ElementType == TensorElementType.String
            ? TensorData.FromStrings(tensor.Strings!, shape)
            : TensorData.FromBytes(tensor.ElementType, shape, tensor.Bytes);
    }

    /// <summary>Joins tensors that agree in type and non-leading dimensions along the leading axis.</summary>
    public static TensorData Concat(IReadOnlyList<TensorData> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var first = parts[0];
        var total = parts.Sum(static p => p.Shape[0]);
        var shape = WithLeading(first.Shape, total);
        if (first.ElementType == TensorElementType.String)
        {
            return TensorData.FromStrings(parts.SelectMany(static p => p.Strings!).ToArray(), shape);
        }

        var bytes = new byte[parts.Sum(static p => (long)p.Bytes.Length)];
        var offset = 0;
        foreach (var p in parts)
        {
            p.Bytes.CopyTo(bytes, offset);
            offset += p.Bytes.Length;
        }

        return TensorData.FromBytes(first.ElementType, shape, bytes);
    }
}
