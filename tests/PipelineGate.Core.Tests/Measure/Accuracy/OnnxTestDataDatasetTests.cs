using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class OnnxTestDataDatasetTests : IDisposable
{
    private readonly AccuracyTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Sets_with_a_batch_axis_are_concatenated_with_their_reference_outputs()
    {
        var root = _files.Folder("batched");

        // Sets 0, 1, 2 and 10 (numeric, not text order), two samples each; x = set*100 + element.
        int[] sets = [0, 1, 2, 10];
        foreach (var s in sets)
        {
            var dir = Path.Combine(root, $"test_data_set_{s}");
            Directory.CreateDirectory(dir);
            TensorIO.Write(Path.Combine(dir, "input_0.pb"), TensorData.Create(Enumerable.Range(0, 6).Select(i => (float)((s * 100) + i)).ToArray(), 2, 3), "x");
            TensorIO.Write(Path.Combine(dir, "output_0.pb"), TensorData.Create(new long[] { s, s }, 2), "label");
        }

        using var set = EvalDatasetLoader.Open(root, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Float, [-1, 3])],
            LabelName = "label",
        });

        Assert.Equal(EvalDataFormat.OnnxTestData, set.Format);
        Assert.Equal(8, set.Count);
        Assert.Equal(["label"], set.ReferenceOutputNames);

        // Samples 1..5: second of set 0, both of set 1, both of set 2.
        var batch = set.ReadBatch(1, 5);
        Assert.Equal([5L, 3L], batch.Inputs["x"].Shape);
        Assert.Equal([3f, 4, 5, 100, 101, 102, 103, 104, 105, 200, 201, 202, 203, 204, 205], batch.Inputs["x"].AsSpan<float>().ToArray());
        Assert.Equal([0L, 1, 1, 2, 2], batch.ReferenceOutputs["label"].AsSpan<long>().ToArray());
        Assert.Equal([0L, 1, 1, 2, 2], batch.Labels!.AsSpan<long>().ToArray());

        var last = set.ReadBatches(3).Last();
        Assert.Equal(2, last.Count);
        Assert.Equal([10L, 10], last.Labels!.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Single_sample_sets_without_names_are_stacked_on_a_new_axis_by_position()
    {
        var root = _files.Folder("samples");
        for (var s = 0; s < 3; s++)
        {
            var dir = Path.Combine(root, $"test_data_set_{s}");
            Directory.CreateDirectory(dir);

            // An empty TensorProto name: the tensor is matched to the model input by its position.
            TensorIO.Write(Path.Combine(dir, "input_0.pb"), TensorData.Create(new float[] { s, s, s, s }, 4), "");
            TensorIO.Write(Path.Combine(dir, "output_0.pb"), TensorData.Create(new float[] { s * 2f }, 1), "");
        }

        using var set = EvalDatasetLoader.Open(root, new EvalDataOptions
        {
            ModelInputs = [("features", TensorElementType.Float, [-1, 4])],
        });

        Assert.Equal(3, set.Count);
        Assert.Null(set.LabelName);
        var batch = set.ReadBatch(0, 3);
        Assert.Equal([3L, 4L], batch.Inputs["features"].Shape);
        Assert.Equal([0f, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], batch.Inputs["features"].AsSpan<float>().ToArray());
        Assert.Equal([3L, 1L], batch.ReferenceOutputs["output_0"].Shape);
        Assert.Equal([0f, 2, 4], batch.ReferenceOutputs["output_0"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void A_single_set_folder_can_be_opened_directly()
    {
        var dir = _files.Folder("test_data_set_0");
        TensorIO.Write(Path.Combine(dir, "input_0.pb"), TensorData.Create(new float[] { 1, 2, 3, 4 }, 2, 2), "x");

        using var set = EvalDatasetLoader.Open(dir, new EvalDataOptions());
        Assert.Equal(2, set.Count);
        Assert.Equal(["x"], set.InputNames);
    }

    [Fact]
    public void Mismatches_carry_their_codes()
    {
        var root = _files.Folder("bad");
        var set0 = Path.Combine(root, "test_data_set_0");
        var set1 = Path.Combine(root, "test_data_set_1");
        Directory.CreateDirectory(set0);
        Directory.CreateDirectory(set1);
        TensorIO.Write(Path.Combine(set0, "input_0.pb"), TensorData.Create(new float[6], 2, 3), "x");
        TensorIO.Write(Path.Combine(set1, "input_0.pb"), TensorData.Create(new float[4], 2, 2), "x");

        // The second set's per-sample shape differs from the first's.
        var shape = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(root, new EvalDataOptions()));
        Assert.Equal(PgCode.DataShapeMismatch, shape.Code);
        Assert.Equal(Path.Combine(set1, "input_0.pb"), shape.Diagnostic.File);

        // Against the model: wrong element type, and an input with no tensor.
        var dtype = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(set0, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Double, [-1, 3])],
        }));
        Assert.Equal(PgCode.DataTypeMismatch, dtype.Code);

        var missing = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(set0, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Float, [-1, 3]), ("y", TensorElementType.Float, [-1, 3])],
        }));
        Assert.Equal(PgCode.DataMissingInput, missing.Code);
        Assert.Contains("'y'", missing.Message, StringComparison.Ordinal);

        var label = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(set0, new EvalDataOptions { LabelName = "label" }));
        Assert.Equal(PgCode.DataNotFound, label.Code);
    }
}
