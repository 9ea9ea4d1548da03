namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Blockwise asymmetric 4-bit quantization of a [K, N] weight in the layout of ONNX Runtime's
/// com.microsoft MatMulNBits (bits = 4). Each output column n is cut along K into ceil(K / block)
/// blocks; per block, over the range [min(0, w), max(0, w)] (widened to include 0 so that 0 is exact):
/// <code>
/// scale = (max − min) / 15        (1 when max = min = 0)
/// zero  = clamp(round_half_even(−min / scale), 0, 15)
/// q     = clamp(round_half_even(w / scale) + zero, 0, 15)      dequantized: (q − zero) · scale
/// </code>
/// Asymmetric rather than symmetric because trained weights of a block are rarely centred: using both
/// ends of the 16 levels halves the step on a one-sided block, for 4 bits of zero point per block.
/// When K is not a multiple of the block size, the last block is padded with zeros (stored as the
/// zero point, so they dequantize to 0; the kernel reads only K rows of A anyway).
/// Layout: B is uint8 [N, blocks, block/2], element 2i of a block in the low nibble of byte i and
/// element 2i+1 in the high nibble; scales are float [N, blocks]; zero points are uint8
/// [N, ceil(blocks / 2)], packed the same way (block 2j low nibble, block 2j+1 high nibble).
/// </summary>
public static class Int4BlockQuantization
{
    public const int Levels = 15;

    /// <summary>Quantizes row-major weights [<paramref name="k"/>, <paramref name="n"/>].</summary>
    public static Int4QuantizedWeight Quantize(ReadOnlySpan<float> weights, int k, int n, int blockSize)
    {
        if (blockSize < 16 || (blockSize & (blockSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "The block size must be a power of two of at least 16 (MatMulNBits' schema).");
        }

        if (weights.Length != (long)k * n)
        {
            throw new ArgumentException($"Expected {k}×{n} weights, got {weights.Length}.", nameof(weights));
        }

        var blocks = (k + blockSize - 1) / blockSize;
        var blobBytes = blockSize / 2;
        var zeroBytes = (blocks + 1) / 2;
        var packed = new byte[(long)n * blocks * blobBytes];
        var scales = new float[n * blocks];
        var zeros = new byte[n * zeroBytes];
        var q = new byte[blockSize];
        for (var column = 0; column < n; column++)
        {
            for (var b = 0; b < blocks; b++)
            {
                var start = b * blockSize;
                var end = Math.Min(start + blockSize, k);
                float min = 0, max = 0;
                for (var row = start; row < end; row++)
                {
                    var w = weights[(row * n) + column];
                    min = Math.Min(min, w);
                    max = Math.Max(max, w);
                }

                var (scale, zero) = Parameters(min, max);
                for (var i = 0; i < blockSize; i++)
                {
                    var row = start + i;
                    q[i] = row < end ? QuantizeValue(weights[(row * n) + column], scale, zero) : zero;
                }

                var offset = ((long)column * blocks + b) * blobBytes;
                for (var i = 0; i < blobBytes; i++)
                {
                    packed[offset + i] = (byte)(q[2 * i] | (q[(2 * i) + 1] << 4));
                }

                scales[(column * blocks) + b] = scale;
                var z = (column * zeroBytes) + (b / 2);
                zeros[z] |= (byte)(b % 2 == 0 ? zero : zero << 4);
            }
        }

        return new Int4QuantizedWeight(packed, scales, zeros, blocks, zeroBytes);
    }

    /// <summary>Scale and zero point of one block with range [min, max] (0 is added to the range).</summary>
    public static (float Scale, byte ZeroPoint) Parameters(float min, float max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max == min)
        {
            return (1f, 0);
        }

        var scale = (max - min) / Levels;
        var zero = (byte)Math.Clamp(Math.Round(-min / scale, MidpointRounding.ToEven), 0, Levels);
        return (scale, zero);
    }

    public static byte QuantizeValue(float value, float scale, byte zeroPoint) =>
        (byte)Math.Clamp(Math.Round(value / scale, MidpointRounding.ToEven) + zeroPoint, 0, Levels);

    /// <summary>The weight value a packed entry stands for, read back as the kernel does (for tests and error reports).</summary>
    public static float Dequantize(Int4QuantizedWeight r, int blockSize, int row, int column)
    {
        var b = row / blockSize;
        var i = row % blockSize;
        var blob = r.Packed[(((long)column * r.Blocks + b) * (blockSize / 2)) + (i / 2)];
        var q = i % 2 == 0 ? blob & 0x0F : blob >> 4;
        var zBlob = r.ZeroPoints[(column * r.ZeroPointBytesPerColumn) + (b / 2)];
        var zero = b % 2 == 0 ? zBlob & 0x0F : zBlob >> 4;
        return (q - zero) * r.Scales[(column * r.Blocks) + b];
    }
}
