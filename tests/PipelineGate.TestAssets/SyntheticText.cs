using PipelineGate.Tensors;

namespace PipelineGate.TestAssets;

/// <summary>Synthetic text images for the PP-OCR models, drawn from the digits sample's real handwritten 8×8 evaluation images.</summary>
public static class SyntheticText
{
    /// <summary>
    /// A text line for the PP-OCR recognizer [1, 3, height, width]: real handwritten digits (the sample's
    /// 8×8 evaluation images, scaled up) as dark ink on a light, slightly noisy page, normalized as
    /// PaddleOCR does ((x − 0.5) / 0.5 for x in [0, 1]).
    /// </summary>
    public static TensorData TextLine(int height, int width, int seed)
    {
        var page = Page(height, width, seed, rows: 1);
        return TensorData.Create(page.Select(static v => (v - 0.5f) / 0.5f).ToArray(), 1, 3, height, width);
    }

    /// <summary><paramref name="count"/> text lines (seeds <paramref name="firstSeed"/>, +1, …) stacked into one batch [count, 3, height, width], e.g. to write as evaluation data.</summary>
    public static TensorData TextLines(int count, int height, int width, int firstSeed = 0)
    {
        var values = new float[(long)count * 3 * height * width];
        for (var i = 0; i < count; i++)
        {
            TextLine(height, width, firstSeed + i).ToFloatArray().CopyTo(values, (long)i * 3 * height * width);
        }

        return TensorData.Create(values, count, 3, height, width);
    }

    /// <summary>A page for the PP-OCR detector [1, 3, size, size] in [0, 1]: several lines of handwritten digits.</summary>
    public static TensorData Document(int size, int seed) => TensorData.Create(Page(size, size, seed, rows: size / 64), 1, 3, size, size);

    private static float[] Page(int height, int width, int seed, int rows)
    {
        var rng = new Random(seed);
        var glyphs = NpyFile.Read(RepoPaths.Of("samples/digits/eval/pixels.npy")).ToFloatArray(); // [359, 64], pixel counts / 16 in [0, 1]
        var gray = new float[height * width];
        for (var i = 0; i < gray.Length; i++)
        {
            gray[i] = 0.85f + (0.1f * (float)rng.NextDouble());
        }

        var lineHeight = height / rows;
        var scale = Math.Max(2, (lineHeight * 3 / 4) / 8);
        for (var row = 0; row < rows; row++)
        {
            var top = (row * lineHeight) + ((lineHeight - (8 * scale)) / 2);
            var count = rows == 1 ? (width - 16) / (8 * scale) : 2 + rng.Next((width / (8 * scale)) - 3);
            var left = rows == 1 ? 8 : rng.Next(Math.Max(1, width - (count * 8 * scale)));
            for (var g = 0; g < count; g++)
            {
                var glyph = rng.Next(359);
                for (var y = 0; y < 8 * scale; y++)
                {
                    for (var x = 0; x < 8 * scale; x++)
                    {
                        var ink = glyphs[(glyph * 64) + ((y / scale) * 8) + (x / scale)];
                        var px = left + (g * 8 * scale) + x;
                        if (px < width && top + y < height)
                        {
                            gray[((top + y) * width) + px] *= 1 - (0.9f * ink);
                        }
                    }
                }
            }
        }

        var pixels = new float[3 * height * width];
        for (var c = 0; c < 3; c++)
        {
            gray.CopyTo(pixels, c * height * width);
        }

        return pixels;
    }
}
