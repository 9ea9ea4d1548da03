namespace PipelineGate.TestAssets;

/// <summary>
/// The ONNX backend test suite as Debian packages it (libonnx-testdata 1.12.0-2): small models, each
/// with test_data_set_N/input_i.pb and output_i.pb. Licence: Apache-2.0 (the ONNX project).
/// </summary>
public static class OnnxTestData
{
    public const string Package = "libonnx-testdata";
    public const string Version = "1.12.0-2";
    public const string Sha256 = "7dc0912e02f79ece102331411a751b091bc0e191c9fb1287f8cdfbe5530f6027";

    /// <summary>The folder holding node/, simple/, pytorch-converted/, pytorch-operator/.</summary>
    public static string DataRoot => Path.Combine(AssetCache.DebianPackage(Package, Version, Sha256), "usr", "share", "libonnx-testdata", "data");

    /// <summary>Every test case folder (one model.onnx each) of a suite, sorted by name.</summary>
    public static IReadOnlyList<string> Cases(string suite = "node") =>
        Directory.GetDirectories(Path.Combine(DataRoot, suite)).Where(d => File.Exists(Path.Combine(d, "model.onnx"))).Order(StringComparer.Ordinal).ToArray();
}
