using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary><c>dims: { NAME: N }</c> on a model: the sizes of symbolic dimensions for random inputs.</summary>
public sealed class DimsConfigTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Config(string dims) => $"""
        version: 1
        models:
          - path: m.onnx
            dims: {dims}
            budgets:
              - {"{"} metric: file-size, max: 1 MB {"}"}
        """;

    [Fact]
    public void Dims_are_read_as_sizes_by_name()
    {
        var model = Assert.Single(_dir.Load(Config("{ batch: 1, width: 320 }")).Models);

        Assert.Equal(new Dictionary<string, long> { ["batch"] = 1, ["width"] = 320 }, model.Dims);
    }

    [Fact]
    public void A_model_without_dims_has_none()
    {
        var model = Assert.Single(_dir.Load(Config("{}")).Models);

        Assert.Empty(model.Dims);
    }

    [Theory]
    [InlineData("{ width: 0 }", 4)]
    [InlineData("{ width: -3 }", 4)]
    [InlineData("{ width: wide }", 4)]
    [InlineData("{ width: 2000000 }", 4)]
    [InlineData("[ 320 ]", 4)]
    public void A_size_that_is_not_a_whole_number_from_1_to_a_million_is_PG1004_at_its_line(string dims, int line)
    {
        var e = Assert.Throws<ConfigException>(() => _dir.Load(Config(dims)));

        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(PgCode.ConfigInvalidValue, d.Code);
        Assert.Equal(line, d.Line);
    }
}
