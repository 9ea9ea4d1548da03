using PipelineGate.Tensors;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// Random but plausible inputs for a text detector: [N, 3, H, W] in [0, 1], a light paper background
/// with a soft lighting gradient and noise, and lines of dark "characters" (small filled blocks with
/// gaps, like words) in a few ink colours. Deterministic for a seed.
/// </summary>
internal static class SyntheticDocuments
{
    public static TensorData Create(int count, int height, int width, int seed)
    {
        var random = new Random(seed);
        var plane = height * width;
        var data = new float[count * 3 * plane];
        for (var n = 0; n < count; n++)
        {
            var image = data.AsSpan(n * 3 * plane, 3 * plane);
            var paper = new[] { 0.85f + (0.1f * (float)random.NextDouble()), 0.85f + (0.1f * (float)random.NextDouble()), 0.8f + (0.1f * (float)random.NextDouble()) };
            var gradient = 0.15f * (float)random.NextDouble();
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var light = 1 - (gradient * (x + y) / (width + height));
                        image[(c * plane) + (y * width) + x] = (paper[c] * light) + (0.02f * ((float)random.NextDouble() - 0.5f));
                    }
                }
            }

            var lines = random.Next(4, 9);
            for (var l = 0; l < lines; l++)
            {
                var glyph = random.Next(8, 20);
                var top = random.Next(0, height - glyph);
                var ink = new[] { 0.05f + (0.2f * (float)random.NextDouble()), 0.05f + (0.2f * (float)random.NextDouble()), 0.1f + (0.3f * (float)random.NextDouble()) };
                var x = random.Next(0, width / 3);
                var end = random.Next(width / 2, width);
                while (x < end)
                {
                    var w = random.Next(glyph / 2, glyph + 1);
                    for (var stroke = 0; stroke < 3; stroke++)
                    {
                        // A character: a few strokes inside its box.
                        var vertical = random.Next(2) == 0;
                        var sx = x + random.Next(0, Math.Max(1, w - 2));
                        var sy = top + random.Next(0, Math.Max(1, glyph - 2));
                        var length = random.Next(glyph / 2, glyph);
                        for (var t = 0; t < length; t++)
                        {
                            for (var thick = 0; thick < 2; thick++)
                            {
                                var px = vertical ? sx + thick : sx + t;
                                var py = vertical ? sy + t : sy + thick;
                                if (px < width && py < height && px < x + w && py < top + glyph)
                                {
                                    for (var c = 0; c < 3; c++)
                                    {
                                        image[(c * plane) + (py * width) + px] = ink[c];
                                    }
                                }
                            }
                        }
                    }

                    x += w + random.Next(1, 4) + (random.Next(5) == 0 ? glyph : 0); // letter gap, sometimes a word gap
                }
            }

            for (var i = 0; i < image.Length; i++)
            {
                image[i] = Math.Clamp(image[i], 0f, 1f);
            }
        }

        return TensorData.Create(data, count, 3, height, width);
    }

    /// <summary>Writes the images as <c>x.npy</c> (the OCR models' input name) in a new folder and returns the file.</summary>
    public static string WriteNpy(string folder, TensorData images)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "x.npy");
        NpyFile.Write(path, images);
        return path;
    }
}
