using System.Runtime.InteropServices;

namespace PipelineGate.Tensors;

/// <summary>
/// A dense tensor held in memory: element type, shape, and its elements in C (row-major) order as
/// little-endian bytes, or as managed strings for <see cref="TensorElementType.String"/>.
/// This is the one exchange type between file formats (.npy, .npz, ONNX .pb), the runtime binding
/// and the metrics, so that no layer invents its own.
/// </summary>
public sealed class TensorData
{
    private readonly long[] _shape;

    private TensorData(TensorElementType elementType, long[] shape, byte[] bytes, string[]? strings)
    {
        ElementType = elementType;
        _shape = shape;
        Bytes = bytes;
        Strings = strings;
        ElementCount = ShapeElementCount(shape);
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Raw element bytes (little-endian, C order). Empty for string tensors.</summary>
    public byte[] Bytes { get; }

    /// <summary>The elements of a string tensor; null for every other type.</summary>
    public string[]? Strings { get; }

    public long ElementCount { get; }

    public int Rank => _shape.Length;

    /// <summary>A copy of the shape as an array.</summary>
    public long[] ShapeArray() => (long[])_shape.Clone();

    /// <summary>Product of the dimensions (1 for a scalar); throws for a negative dimension.</summary>
    public static long ShapeElementCount(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Dimension {d} is negative; a dense tensor needs concrete, non-negative dimensions.", nameof(shape));
            }

            n = checked(n * d);
        }

        return n;
    }

    /// <summary>Creates a tensor over raw bytes after checking their length against the shape.</summary>
    public static TensorData FromBytes(TensorElementType elementType, IReadOnlyList<long> shape, byte[] bytes)
    {
        if (elementType is TensorElementType.String or TensorElementType.Undefined)
        {
            throw new ArgumentException($"Element type {elementType} has no raw byte layout.", nameof(elementType));
        }

        var shapeCopy = shape.ToArray();
        var expected = TensorElementTypeInfo.ByteCount(elementType, ShapeElementCount(shapeCopy));
        if (bytes.LongLength != expected)
        {
            throw new ArgumentException(
                $"A {TensorElementTypeInfo.Name(elementType)} tensor of shape {Shapes.Text(shapeCopy)} needs {expected} bytes, got {bytes.LongLength}.",
                nameof(bytes));
        }

        return new TensorData(elementType, shapeCopy, bytes, null);
    }

    /// <summary>Creates a string tensor.</summary>
    public static TensorData FromStrings(string[] values, IReadOnlyList<long> shape)
    {
        var shapeCopy = shape.ToArray();
        if (values.LongLength != ShapeElementCount(shapeCopy))
        {
            throw new ArgumentException($"Shape {Shapes.Text(shapeCopy)} needs {ShapeElementCount(shapeCopy)} strings, got {values.Length}.", nameof(values));
        }

        return new TensorData(TensorElementType.String, shapeCopy, [], values);
    }

    /// <summary>Creates a tensor from managed values; the element type follows from <typeparamref name="T"/>.</summary>
    public static TensorData Create<T>(ReadOnlySpan<T> values, params long[] shape)
        where T : unmanaged
        => FromBytes(ElementTypeOf<T>(), shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Creates a tensor from managed values; the element type follows from <typeparamref name="T"/>.</summary>
    public static TensorData Create<T>(T[] values, params long[] shape)
        where T : unmanaged
        => Create((ReadOnlySpan<T>)values, shape);

    /// <summary>The element type that a managed type stands for (ushort stands for uint16, not bfloat16).</summary>
    public static TensorElementType ElementTypeOf<T>()
        where T : unmanaged
    {
        var t = typeof(T);
        if (t == typeof(float)) return TensorElementType.Float;
        if (t == typeof(double)) return TensorElementType.Double;
        if (t == typeof(Half)) return TensorElementType.Float16;
        if (t == typeof(sbyte)) return TensorElementType.Int8;
        if (t == typeof(byte)) return TensorElementType.UInt8;
        if (t == typeof(short)) return TensorElementType.Int16;
        if (t == typeof(ushort)) return TensorElementType.UInt16;
        if (t == typeof(int)) return TensorElementType.Int32;
        if (t == typeof(uint)) return TensorElementType.UInt32;
        if (t == typeof(long)) return TensorElementType.Int64;
        if (t == typeof(ulong)) return TensorElementType.UInt64;
        if (t == typeof(bool)) return TensorElementType.Bool;
        throw new NotSupportedException($"{t.Name} has no ONNX element type.");
    }

    /// <summary>
    /// The elements reinterpreted as <typeparamref name="T"/>. The element size must match; bfloat16 is
    /// read as <see cref="ushort"/> (its raw 16 bits).
    /// </summary>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        var size = TensorElementTypeInfo.SizeOf(ElementType);
        if (size != Marshal.SizeOf<T>() && !(typeof(T) == typeof(bool) && size == 1))
        {
            throw new InvalidOperationException($"Cannot view a {TensorElementTypeInfo.Name(ElementType)} tensor as {typeof(T).Name}.");
        }

        return MemoryMarshal.Cast<byte, T>(Bytes);
    }

    /// <summary>Every element converted to double (for metrics); bool is 0/1, bfloat16 is widened.</summary>
    public double[] ToDoubleArray()
    {
        var n = checked((int)ElementCount);
        var result = new double[n];
        var b = Bytes.AsSpan();
        switch (ElementType)
        {
            case TensorElementType.Float: Widen(MemoryMarshal.Cast<byte, float>(b), result, static v => v); break;
            case TensorElementType.Double: MemoryMarshal.Cast<byte, double>(b).CopyTo(result); break;
            case TensorElementType.Float16: Widen(MemoryMarshal.Cast<byte, Half>(b), result, static v => (double)v); break;
            case TensorElementType.BFloat16: Widen(MemoryMarshal.Cast<byte, ushort>(b), result, static v => BitConverter.Int32BitsToSingle(v << 16)); break;
            case TensorElementType.Int8: Widen(MemoryMarshal.Cast<byte, sbyte>(b), result, static v => v); break;
            case TensorElementType.UInt8: Widen(b, result, static v => v); break;
            case TensorElementType.Bool: Widen(b, result, static v => v != 0 ? 1 : 0); break;
            case TensorElementType.Int16: Widen(MemoryMarshal.Cast<byte, short>(b), result, static v => v); break;
            case TensorElementType.UInt16: Widen(MemoryMarshal.Cast<byte, ushort>(b), result, static v => v); break;
            case TensorElementType.Int32: Widen(MemoryMarshal.Cast<byte, int>(b), result, static v => v); break;
            case TensorElementType.UInt32: Widen(MemoryMarshal.Cast<byte, uint>(b), result, static v => v); break;
            case TensorElementType.Int64: Widen(MemoryMarshal.Cast<byte, long>(b), result, static v => v); break;
            case TensorElementType.UInt64: Widen(MemoryMarshal.Cast<byte, ulong>(b), result, static v => v); break;
            default: throw new NotSupportedException($"{TensorElementTypeInfo.Name(ElementType)} tensors have no numeric view.");
        }

        return result;
    }

    /// <summary>Every element converted to float; see <see cref="ToDoubleArray"/>.</summary>
    public float[] ToFloatArray()
    {
        if (ElementType == TensorElementType.Float)
        {
            return AsSpan<float>().ToArray();
        }

        return Array.ConvertAll(ToDoubleArray(), static d => (float)d);
    }

    public override string ToString() => TensorElementTypeInfo.Name(ElementType) + Shapes.Text(_shape);

    private static void Widen<T>(ReadOnlySpan<T> source, double[] destination, Func<T, double> convert)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = convert(source[i]);
        }
    }
}
