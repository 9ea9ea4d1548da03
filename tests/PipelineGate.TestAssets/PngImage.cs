using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PipelineGate.TestAssets;

/// <summary>
/// A minimal PNG decoder for screenshots and test images: 8-bit greyscale, grey+alpha, RGB or RGBA,
/// plain or Adam7-interlaced. Chunks are read by hand, IDAT data inflated with <see cref="ZLibStream"/>,
/// the per-scanline filters (None, Sub, Up, Average, Paeth) undone per pass, so tests need no imaging library.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly byte[] _pixels;
    private readonly int _channels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixel as 0xRRGGBB (alpha ignored: screenshots are opaque).</summary>
    public int Rgb(int x, int y)
    {
        var i = ((y * Width) + x) * _channels;
        return _channels < 3
            ? (_pixels[i] << 16) | (_pixels[i] << 8) | _pixels[i]
            : (_pixels[i] << 16) | (_pixels[i + 1] << 8) | _pixels[i + 2];
    }

    public static PngImage Decode(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG file (bad signature).");
        }

        int width = 0, height = 0, channels = 0;
        var interlaced = false;
        using var idat = new MemoryStream();
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at)));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            at += 12 + length; // length, type, data, CRC
            switch (type)
            {
                case "IHDR":
                    width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data));
                    height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                    channels = Header(bitDepth: data[8], colourType: data[9]);
                    interlaced = data[12] == 1;
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    at = png.Length;
                    break;
            }
        }

        if (width <= 0 || height <= 0)
        {
            throw new InvalidDataException("PNG has no IHDR chunk.");
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        return new PngImage(width, height, channels, interlaced ? Adam7(raw, width, height, channels) : Unfilter(raw, width, height, channels));
    }

    /// <summary>Mean of the colour channels at a pixel, 0..255 (alpha ignored).</summary>
    public double Grey(int x, int y)
    {
        var rgb = Rgb(x, y);
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3.0;
    }

    // Returns bytes per pixel; 8-bit samples only.
    private static int Header(byte bitDepth, byte colourType)
    {
        if (bitDepth != 8)
        {
            throw new NotSupportedException($"PNG bit depth {bitDepth} not supported.");
        }

        return colourType switch
        {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            _ => throw new NotSupportedException($"PNG colour type {colourType} not supported."),
        };
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        var stride = width * bpp;
        if (raw.Length < height * (stride + 1))
        {
            throw new InvalidDataException($"PNG data too short: {raw.Length} bytes for {width}×{height}×{bpp}.");
        }

        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = raw.AsSpan((y * (stride + 1)) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var up = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0;
                int b = up[i];
                int c = i >= bpp ? up[i - bpp] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter type {filter} on row {y}."),
                };
                row[i] = (byte)(src[i] + predictor);
            }
        }

        return pixels;
    }

    // Adam7: seven passes, each a filtered sub-image of every (dx, dy)-th pixel from (x0, y0), stored one after another.
    private static byte[] Adam7(byte[] raw, int width, int height, int bpp)
    {
        ReadOnlySpan<int> x0 = [0, 4, 0, 2, 0, 1, 0], y0 = [0, 0, 4, 0, 2, 0, 1], dx = [8, 8, 4, 4, 2, 2, 1], dy = [8, 8, 8, 4, 4, 2, 2];
        var pixels = new byte[width * height * bpp];
        var at = 0;
        for (var p = 0; p < 7; p++)
        {
            var w = (width - x0[p] + dx[p] - 1) / dx[p];
            var h = (height - y0[p] + dy[p] - 1) / dy[p];
            if (w <= 0 || h <= 0)
            {
                continue;
            }

            var size = h * ((w * bpp) + 1);
            var sub = Unfilter(raw.AsSpan(at, Math.Min(size, raw.Length - at)).ToArray(), w, h, bpp);
            at += size;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    sub.AsSpan(((y * w) + x) * bpp, bpp).CopyTo(pixels.AsSpan(((((y0[p] + (y * dy[p])) * width) + x0[p] + (x * dx[p])) * bpp)));
                }
            }
        }

        return pixels;
    }

    // The neighbour (left, above, upper-left) closest to left + above − upper-left; ties in that order.
    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
