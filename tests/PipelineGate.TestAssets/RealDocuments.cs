using PipelineGate.Tensors;

namespace PipelineGate.TestAssets;

/// <summary>
/// Real text and document images that Debian publishes, for the text detector: scikit-image's sample
/// text images (python3-skimage 0.19.3-8: text.png, page.png, bw_text.png) and the scanned-page
/// illustrations of unpaper's manual (unpaper 7.0.0-0.1), pinned by the packages' SHA-256 and fetched
/// into the cache on first use. Each image becomes a 320×320 centre crop (padded with white where the
/// image is smaller), grey replicated or RGB kept, normalised as PaddleOCR feeds its detector:
/// (v / 255 − mean) / std with ImageNet's mean and std per channel.
/// </summary>
public static class RealDocuments
{
    /// <summary>Crop side: the detector's input is [N, 3, 320, 320] here.</summary>
    public const int Side = 320;

    private static readonly (string Name, string Version, string Sha256) Skimage =
        ("python3-skimage", "0.19.3-8", "728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9");

    private static readonly (string Name, string Version, string Sha256) Unpaper =
        ("unpaper", "7.0.0-0.1", "18c3ce73c62c1158342e3c3adb7537a9a07e31bda5fc1a76c5bb57bb500dd8d1");

    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>The four calibration images: two skimage text samples and two unpaper scans.</summary>
    public static IReadOnlyList<string> CalibrationImages =>
        [SkimageData("text.png"), SkimageData("page.png"), UnpaperImage("deskew-detail1.png"), UnpaperImage("mask-scan-detail1.png")];

    /// <summary>Four other images, never used for calibration: the held-out set the fallback is judged on.</summary>
    public static IReadOnlyList<string> HeldOutImages =>
        [SkimageData("bw_text.png"), UnpaperImage("blackfilter-detail.png"), UnpaperImage("deskew-detail2.png"), UnpaperImage("mask-scan-detail2.png")];

    /// <summary>The images as one [N, 3, 320, 320] float tensor, normalised for the detector (or, with <paramref name="unit"/>, plain v / 255 in [0, 1]).</summary>
    public static TensorData Tensor(IReadOnlyList<string> paths, bool unit = false)
    {
        const int plane = Side * Side;
        var data = new float[paths.Count * 3 * plane];
        for (var n = 0; n < paths.Count; n++)
        {
            var image = PngImage.Decode(File.ReadAllBytes(paths[n]));
            var left = (image.Width - Side) / 2;
            var top = (image.Height - Side) / 2;
            for (var y = 0; y < Side; y++)
            {
                for (var x = 0; x < Side; x++)
                {
                    int sx = left + x, sy = top + y;
                    var rgb = sx >= 0 && sy >= 0 && sx < image.Width && sy < image.Height ? image.Rgb(sx, sy) : 0xFFFFFF;
                    for (var c = 0; c < 3; c++)
                    {
                        var v = ((rgb >> (16 - (8 * c))) & 0xFF) / 255f;
                        data[(((n * 3) + c) * plane) + (y * Side) + x] = unit ? v : (v - Mean[c]) / Std[c];
                    }
                }
            }
        }

        return TensorData.Create(data, paths.Count, 3, Side, Side);
    }

    /// <summary>Writes the images as <c>x.npy</c> (the detector's input name) in <paramref name="folder"/>; returns the file.</summary>
    public static string WriteNpy(string folder, IReadOnlyList<string> paths, bool unit = false)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "x.npy");
        NpyFile.Write(path, Tensor(paths, unit));
        return path;
    }

    private static string SkimageData(string file) =>
        Existing(Path.Combine(AssetCache.DebianPackage(Skimage.Name, Skimage.Version, Skimage.Sha256), "usr", "lib", "python3", "dist-packages", "skimage", "data", file));

    private static string UnpaperImage(string file) =>
        Existing(Path.Combine(AssetCache.DebianPackage(Unpaper.Name, Unpaper.Version, Unpaper.Sha256), "usr", "share", "doc", "unpaper", "html", "img", file));

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not in the pinned Debian package; the package layout changed.", path);
}
