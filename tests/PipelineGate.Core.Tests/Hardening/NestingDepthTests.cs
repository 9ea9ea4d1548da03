using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Hardening;

/// <summary>
/// PG2060 against the real ONNX Runtime: PipelineGate accepts exactly the nesting depth ORT loads. The
/// boundary is protobuf depth, not a count of Ifs: with shaped subgraph outputs ORT loads 31 nested Ifs
/// and refuses 32, without shapes it loads 32 and refuses 33.
/// </summary>
public sealed class NestingDepthTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true, 30)]
    [InlineData(true, 31)]
    [InlineData(true, 32)]
    [InlineData(true, 33)]
    [InlineData(false, 31)]
    [InlineData(false, 32)]
    [InlineData(false, 33)]
    public void PipelineGate_accepts_the_nesting_ONNX_Runtime_loads(bool shapes, int levels)
    {
        var bytes = NestedIfModels.Build(levels, shapes);
        var ortLoads = OrtLoads(bytes, out var ortError);
        PipelineGateException? refused = null;
        try
        {
            _ = ModelFile.Load(bytes, "nested.onnx");
        }
        catch (PipelineGateException ex)
        {
            refused = ex;
        }

        output.WriteLine($"{levels} Ifs, shapes {shapes}: ORT loads {ortLoads} ({ortError}); PipelineGate: {refused?.Message ?? "accepted"}");
        Assert.Equal(ortLoads, refused is null);
        if (refused is not null)
        {
            Assert.Equal(PgCode.ModelNestingTooDeep, refused.Code);
        }
    }

    [Theory]
    [InlineData(true, 31, true)]
    [InlineData(true, 32, false)]
    [InlineData(false, 32, true)]
    [InlineData(false, 33, false)]
    public void ONNX_Runtime_1_31_loads_nested_Ifs_up_to_the_measured_boundary(bool shapes, int levels, bool loads) =>
        Assert.Equal(loads, OrtLoads(NestedIfModels.Build(levels, shapes), out _));

    [Fact]
    public void A_refused_model_names_its_depth_and_the_limit()
    {
        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(NestedIfModels.Build(32, shapes: true), "nested.onnx"));

        Assert.Equal(PgCode.ModelNestingTooDeep, ex.Code);
        Assert.Equal("nested.onnx", ex.Diagnostic.File);
        Assert.Contains("102 levels deep", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 100", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Diagnostic.Hint);
    }

    [Theory]
    [InlineData(300, "906 levels deep")]
    [InlineData(400, "more than 1000 levels deep")]
    public void A_very_deep_model_is_coded_not_a_stack_overflow(int levels, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pg-nested-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, NestedIfModels.Build(levels, shapes: true));
        try
        {
            var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(path));

            Assert.Equal(PgCode.ModelNestingTooDeep, ex.Code);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_model_read_from_a_stream_that_cannot_seek_is_refused_without_its_depth()
    {
        using var stream = new ForwardOnlyStream(NestedIfModels.Build(40, shapes: true));

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(stream, "nested.onnx", null));

        Assert.Equal(PgCode.ModelNestingTooDeep, ex.Code);
        Assert.Contains("more than 100 levels deep", ex.Message, StringComparison.Ordinal);
    }

    private static bool OrtLoads(byte[] bytes, out string? error)
    {
        try
        {
            using var session = InferenceSession.Create(bytes, "nested.onnx");
            error = null;
            return true;
        }
        catch (PipelineGateException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
