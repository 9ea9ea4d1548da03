using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PipelineGate.Tests.Tensors;

/// <summary>
/// Builds zip archives byte by byte the way Python's zipfile does for np.savez (which opens every
/// member with force_zip64=True): the local header carries 0xFFFFFFFF sizes plus a zip64 extra
/// field with the real ones, the central directory the plain sizes. This checks that archives not
/// produced by .NET's own writer are read, and allows malformed ones (duplicates, odd methods).
/// </summary>
internal sealed class ZipBuilder : IDisposable
{
    private readonly MemoryStream _body = new();
    private readonly MemoryStream _central = new();
    private int _count;

    public ZipBuilder Add(string name, byte[] content, bool deflate = false, ushort? method = null)
    {
        var data = content;
        if (deflate)
        {
            using var ms = new MemoryStream();
            using (var ds = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true))
            {
                ds.Write(content);
            }

            data = ms.ToArray();
        }

        var m = method ?? (ushort)(deflate ? 8 : 0);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var crc = Crc32(content);
        var offset = (uint)_body.Length;

        // DOS time 12:00:00, date 2024-01-01.
        const ushort Time = 12 << 11;
        const ushort Date = ((2024 - 1980) << 9) | (1 << 5) | 1;

        var w = new BinaryWriter(_body);
        w.Write(0x04034b50u);
        w.Write((ushort)45);
        w.Write((ushort)0);
        w.Write(m);
        w.Write(Time);
        w.Write(Date);
        w.Write(crc);
        w.Write(0xFFFFFFFFu);
        w.Write(0xFFFFFFFFu);
        w.Write((ushort)nameBytes.Length);
        w.Write((ushort)20);
        w.Write(nameBytes);
        w.Write((ushort)1);
        w.Write((ushort)16);
        w.Write((ulong)content.Length);
        w.Write((ulong)data.Length);
        w.Write(data);

        var c = new BinaryWriter(_central);
        c.Write(0x02014b50u);
        c.Write((ushort)((3 << 8) | 45));
        c.Write((ushort)45);
        c.Write((ushort)0);
        c.Write(m);
        c.Write(Time);
        c.Write(Date);
        c.Write(crc);
        c.Write((uint)data.Length);
        c.Write((uint)content.Length);
        c.Write((ushort)nameBytes.Length);
        c.Write((ushort)0);
        c.Write((ushort)0);
        c.Write((ushort)0);
        c.Write((ushort)0);
        c.Write(0x1A40000u); // 0o600 << 16: a regular file
        c.Write(offset);
        c.Write(nameBytes);
        _count++;
        return this;
    }

    public byte[] Build()
    {
        var ms = new MemoryStream();
        ms.Write(_body.ToArray());
        var cdOffset = (uint)ms.Length;
        ms.Write(_central.ToArray());
        var w = new BinaryWriter(ms);
        w.Write(0x06054b50u);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write((ushort)_count);
        w.Write((ushort)_count);
        w.Write((uint)_central.Length);
        w.Write(cdOffset);
        w.Write((ushort)0);
        return ms.ToArray();
    }

    public void Dispose()
    {
        _body.Dispose();
        _central.Dispose();
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The compression method of every local header, walking a .NET-written archive.</summary>
    public static List<(string Name, ushort Method)> LocalHeaders(byte[] zip)
    {
        var result = new List<(string, ushort)>();
        var pos = 0;
        while (pos + 30 <= zip.Length && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(pos)) == 0x04034b50u)
        {
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(pos + 6));
            var method = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(pos + 8));
            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(pos + 18));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(pos + 26));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(pos + 28));
            Assert.Equal(0, flags & 8); // sizes are in the header, no data descriptor
            result.Add((Encoding.UTF8.GetString(zip, pos + 30, nameLength), method));
            pos += 30 + nameLength + extraLength + (int)compressed;
        }

        return result;
    }
}
