using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary><c>custom-op-libraries: [{ path, sha256 }]</c> on a model: the only libraries ONNX Runtime may load for it.</summary>
public sealed class CustomOpLibraryConfigTests : IDisposable
{
    private static readonly string Hash = new('a', 64);
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Config(string entry) => $$"""
        version: 1
        models:
          - path: m.onnx
            custom-op-libraries:
              - {{entry}}
            budgets:
              - { metric: file-size, max: 1 MB }
        """;

    [Fact]
    public void An_entry_is_read_with_its_full_path_pinned_hash_and_line()
    {
        _dir.Touch("native/libops.so");

        var model = Assert.Single(_dir.Load(Config($"{{ path: native/libops.so, sha256: {Hash.ToUpperInvariant()} }}")).Models);

        var library = Assert.Single(model.CustomOpLibraries);
        Assert.Equal(Path.Combine(_dir.Root, "native", "libops.so"), library.Path);
        Assert.Equal(Hash, library.Sha256);
        Assert.Equal(5, library.Line);
    }

    [Fact]
    public void A_model_without_the_key_allows_no_library()
    {
        var model = Assert.Single(_dir.Load("version: 1\nmodels:\n  - path: m.onnx\n    budgets:\n      - { metric: file-size, max: 1 MB }\n").Models);

        Assert.Empty(model.CustomOpLibraries);
    }

    [Fact]
    public void A_missing_file_is_PG1023_at_its_line()
    {
        var d = Assert.Single(_dir.Errors(Config($"{{ path: native/none.so, sha256: {Hash} }}")));

        Assert.Equal(PgCode.CustomOpLibraryNotFound, d.Code);
        Assert.Equal(5, d.Line);
    }

    [Theory]
    [InlineData("{ path: native/libops.so, sha256: 1234 }")]
    [InlineData("{ path: native/libops.so }")]
    [InlineData("{ path: native/libops.so, sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, symbols: all }")]
    [InlineData("native/libops.so")]
    public void A_malformed_entry_is_a_config_error_at_its_line(string entry)
    {
        _dir.Touch("native/libops.so");

        var d = Assert.Single(_dir.Errors(Config(entry)));

        Assert.InRange((int)d.Code, 1003, 1006);
        Assert.Equal(5, d.Line);
    }
}
