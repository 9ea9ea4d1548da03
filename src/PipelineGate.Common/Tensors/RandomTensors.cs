using System.Runtime.InteropServices;

namespace PipelineGate.Tensors;

/// <summary>
/// Deterministic random inputs for models without data: floats uniform in [0, 1), integers in
/// [0, 10) (small enough to be valid indices for most embedding and gather inputs), bools 50/50,
/// strings "0".."9". The same seed gives the same tensors on every machine.
/// </summary>
public static class RandomTensors
{
    /// <summary>Whether <see cref="Create"/> can fill <paramref name="type"/>: every numeric type but the 8- and 4-bit floats, bool and string.</summary>
    public static bool Supports(TensorElementType type) =>
        type is TensorElementType.Float or TensorElementType.Double or TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Bool or TensorElementType.String
        || (TensorElementTypeInfo.SizeOf(type) != 0 && !TensorElementTypeInfo.IsFloatingPoint(type));

    public static TensorData Create(TensorElementType type, long[] shape, Random random)
    {
        var count = checked((int)TensorData.ShapeElementCount(shape));
        switch (type)
        {
            case TensorElementType.Float:
                return TensorData.Create(Fill(count, () => (float)random.NextDouble()), shape);
            case TensorElementType.Double:
                return TensorData.Create(Fill(count, random.NextDouble), shape);
            case TensorElementType.Float16:
                return TensorData.Create(Fill(count, () => (Half)random.NextDouble()), shape);
            case TensorElementType.BFloat16:
                var bf = Fill(count, () => (ushort)(BitConverter.SingleToInt32Bits((float)random.NextDouble()) >> 16));
                return TensorData.FromBytes(type, shape, MemoryMarshal.AsBytes(bf.AsSpan()).ToArray());
            case TensorElementType.Bool:
                return TensorData.Create(Fill(count, () => random.Next(2) == 1), shape);
            case TensorElementType.String:
                return TensorData.FromStrings(Fill(count, () => random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture)), shape);
            default:
                var size = TensorElementTypeInfo.SizeOf(type);
                if (!Supports(type))
                {
                    throw new NotSupportedException($"Random {TensorElementTypeInfo.Name(type)} inputs are not supported.");
                }

                // Small non-negative integers are valid in every integer type's little-endian layout.
                var bytes = new byte[count * size];
                for (var i = 0; i < count; i++)
                {
                    bytes[i * size] = (byte)random.Next(10);
                }

                return TensorData.FromBytes(type, shape, bytes);
        }
    }

    private static T[] Fill<T>(int count, Func<T> next)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = next();
        }

        return values;
    }
}
