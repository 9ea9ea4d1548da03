using PipelineGate.Diagnostics;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Runtime.Tests.Binding;

/// <summary>A custom-op library is loaded only when its file has the pinned hash, and ORT's refusal is coded.</summary>
public sealed class CustomOpLibraryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-customop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_missing_library_is_PG1023()
    {
        var config = With(new CustomOpLibrary(Path.Combine(_dir, "libnone.so"), new string('0', 64), "pipelinegate.yml", 7));

        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", config));

        Assert.Equal(PgCode.CustomOpLibraryNotFound, ex.Code);
        Assert.Equal("pipelinegate.yml", ex.Diagnostic.File);
        Assert.Equal(7, ex.Diagnostic.Line);
    }

    [Fact]
    public void A_library_whose_hash_differs_is_PG1024_and_not_loaded()
    {
        var path = Path.Combine(_dir, "libops.so");
        File.WriteAllBytes(path, [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        var pinned = new string('a', 64);

        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", With(new CustomOpLibrary(path, pinned))));

        Assert.Equal(PgCode.CustomOpLibraryHashMismatch, ex.Code);
        Assert.Contains(CustomOpLibrary.HashOf(path), ex.Message, StringComparison.Ordinal);
        Assert.Contains(pinned, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_ort_cannot_load_as_a_library_is_PG3012()
    {
        var path = Path.Combine(_dir, "libnot-a-library.so");
        File.WriteAllText(path, "this is not a shared library");

        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(TinyModels.AddBias(2, 1), "m", With(new CustomOpLibrary(path, CustomOpLibrary.HashOf(path)))));

        Assert.Equal(PgCode.CustomOpLibraryRejected, ex.Code);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    private static SessionConfig With(CustomOpLibrary library) => SessionConfig.Default with { CustomOpLibraries = [library] };
}
