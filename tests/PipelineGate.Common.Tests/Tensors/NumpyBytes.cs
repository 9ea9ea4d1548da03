using System.Buffers.Binary;
using System.Text;

namespace PipelineGate.Tests.Tensors;

/// <summary>
/// Builds .npy bytes exactly as numpy's <c>np.save</c> lays them out (numpy/lib/format.py, NEP 1),
/// written from the spec rather than from the code under test, because numpy is not available to
/// produce real fixtures:
/// <list type="bullet">
/// <item>the header is <c>repr</c> of the dict with sorted keys, e.g.
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>;</item>
/// <item>followed by <c>21 - len(str(growth axis))</c> spaces (room to grow the first axis, or the
/// last axis of a Fortran array, in place; none for a scalar);</item>
/// <item>then <c>64 - ((10 + len + 1) % 64)</c> spaces (a full 64 when already aligned) and <c>'\n'</c>;</item>
/// <item>version 1.0 (uint16 length) unless that length exceeds 65535, then 2.0 (uint32, 12-byte prefix).</item>
/// </list>
/// </summary>
internal static class NumpyBytes
{
    public static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>np.save output for a header dict literal; <paramref name="growthAxis"/> is null for a scalar.</summary>
    public static byte[] Save(string dict, long? growthAxis, byte[] data)
    {
        var header = dict;
        if (growthAxis is { } axis)
        {
            header += new string(' ', Math.Max(0, 21 - axis.ToString(System.Globalization.CultureInfo.InvariantCulture).Length));
        }

        var hlen = header.Length + 1;
        var version = 1;
        var prefix = 10;
        var pad = 64 - ((prefix + hlen) % 64);
        if (hlen + pad > 65535)
        {
            version = 2;
            prefix = 12;
            pad = 64 - ((prefix + hlen) % 64);
        }

        return Raw(version, header + new string(' ', pad) + "\n", data);
    }

    /// <summary>Any preamble a writer might produce: version byte, the header text verbatim, then data.</summary>
    public static byte[] Raw(int version, string header, byte[] data, Encoding? encoding = null)
    {
        var headerBytes = (encoding ?? Encoding.Latin1).GetBytes(header);
        using var ms = new MemoryStream();
        ms.Write(Magic);
        ms.WriteByte((byte)version);
        ms.WriteByte(0);
        Span<byte> len = stackalloc byte[4];
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)headerBytes.Length);
            ms.Write(len[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)headerBytes.Length);
            ms.Write(len);
        }

        ms.Write(headerBytes);
        ms.Write(data);
        return ms.ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] LittleEndian<T>(params T[] values)
        where T : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>The same values with every <paramref name="unit"/>-byte group reversed (big-endian on disk).</summary>
    public static byte[] Swap(byte[] littleEndian, int unit)
    {
        var result = (byte[])littleEndian.Clone();
        for (var i = 0; i < result.Length; i += unit)
        {
            Array.Reverse(result, i, unit);
        }

        return result;
    }
}
