using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Runtime.Tests.Binding;

/// <summary>
/// <see cref="InferenceSession.Create(string, SessionConfig?)"/> remembers a model file that passed its path check, and
/// checks it again as soon as the file or an external-data file it references changes: the stored pass never hides
/// PG2006/PG2014. Each test works on the real digits sample with its weights in an external file, in its own folder.
/// </summary>
public sealed class ModelPathCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-path-check-").FullName;
    private readonly string _model;
    private readonly string _weights;
    private readonly string _outside;

    public ModelPathCheckTests()
    {
        var save = new ModelSaveOptions { ExternalDataThreshold = 0, ExternalDataFileName = "weights.bin" };
        _model = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "model")).FullName, "model.onnx");
        ModelWriter.Save(ModelFile.Load(RepoPaths.Of("samples/digits/digits_mlp.onnx")), _model, save);
        _weights = Path.Combine(_dir, "model", "weights.bin");
        _outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_model_rewritten_in_place_to_read_data_outside_its_folder_is_PG2006_on_the_next_session()
    {
        CreatePasses();

        // The same weights, one folder up: the location grows, and so does the file.
        File.Copy(_weights, Path.Combine(_outside, "weights.bin"));
        var file = ModelFile.Load(_model);
        foreach (var (tensor, _) in ModelWalker.Tensors(file.Model).Where(static t => ExternalDataInfo.IsExternal(t.Tensor)))
        {
            tensor.ExternalData.Single(static e => e.Key == "location").Value = "../outside/weights.bin";
        }

        var before = new FileInfo(_model).Length;
        File.WriteAllBytes(_model, file.ToByteArray());
        Assert.NotEqual(before, new FileInfo(_model).Length);
        Assert.False(ModelPathCheck.HasPassed(_model));

        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, Refused().Code);
    }

    [Fact]
    public void A_data_file_swapped_for_a_link_out_of_the_folder_is_PG2006_even_with_the_same_length_and_time()
    {
        CreatePasses();

        // The same bytes outside, with the same write time: only where the path leads has changed.
        var target = Path.Combine(_outside, "weights.bin");
        File.Copy(_weights, target);
        File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(_weights));
        File.Delete(_weights);
        File.CreateSymbolicLink(_weights, target);
        Assert.False(ModelPathCheck.HasPassed(_model));

        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, Refused().Code);
    }

    [Fact]
    public void A_data_file_replaced_by_a_shorter_one_is_PG2014_on_the_next_session()
    {
        CreatePasses();

        var bytes = File.ReadAllBytes(_weights);
        File.WriteAllBytes(_weights, bytes[..(bytes.Length / 2)]);
        Assert.False(ModelPathCheck.HasPassed(_model));

        Assert.Equal(PgCode.ExternalDataOutOfRange, Refused().Code);
    }

    [Fact]
    public void A_model_that_failed_fails_again_and_passes_once_repaired()
    {
        File.Move(_weights, Path.Combine(_outside, "weights.bin"));
        File.CreateSymbolicLink(_weights, Path.Combine(_outside, "weights.bin"));

        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, Refused().Code);
        Assert.False(ModelPathCheck.HasPassed(_model));
        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, Refused().Code);

        File.Delete(_weights);
        File.Copy(Path.Combine(_outside, "weights.bin"), _weights);
        CreatePasses();
    }

    [Fact]
    public void An_unchanged_model_keeps_its_pass_across_sessions()
    {
        CreatePasses();
        CreatePasses();
        Assert.True(ModelPathCheck.HasPassed(_model));
    }

    /// <summary>A session is created and runs; afterwards the pass is stored.</summary>
    private void CreatePasses()
    {
        using (var session = InferenceSession.Create(_model))
        {
            Assert.Equal("pixels", Assert.Single(session.Inputs).Name);
        }

        Assert.True(ModelPathCheck.HasPassed(_model));
    }

    private Diagnostic Refused() => Assert.Throws<PipelineGateException>(() => InferenceSession.Create(_model)).Diagnostic;
}
