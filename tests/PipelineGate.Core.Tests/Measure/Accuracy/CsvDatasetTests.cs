using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class CsvDatasetTests : IDisposable
{
    private readonly AccuracyTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Write(string text)
    {
        var path = _files.PathOf("data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Feature_columns_become_one_float32_input_and_the_label_column_int64()
    {
        var path = Write("sepal,\"petal, width\",species\r\n5.1,0.2,0\r\n4.9,\"1e-1\",2\r\n\r\n6,nan,1\r\n");
        using var set = EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            ModelInputs = [("float_input", TensorElementType.Float, [-1, 2])],
            LabelName = "species",
        });

        Assert.Equal(EvalDataFormat.Csv, set.Format);
        Assert.Equal(3, set.Count);
        var batch = set.ReadBatch(0, 3);
        var x = batch.Inputs["float_input"].AsSpan<float>().ToArray();
        Assert.Equal([3L, 2L], batch.Inputs["float_input"].Shape);
        Assert.Equal([5.1f, 0.2f, 4.9f, 0.1f, 6f], x[..5]);
        Assert.True(float.IsNaN(x[5]));
        Assert.Equal(TensorElementType.Int64, batch.Labels!.ElementType);
        Assert.Equal([0L, 2, 1], batch.Labels.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Mapped_columns_keep_their_order_and_float64_inputs_get_float64()
    {
        var path = Write("a,b,c,target\n1,2,3,0.5\n4,5,6,1.5\n");
        using var set = EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Double, [-1, 2])],
            InputMapping = new Dictionary<string, IReadOnlyList<string>> { ["x"] = ["c", "a"] },
            LabelName = "target",
        });

        var batch = set.ReadBatch(1, 1);
        Assert.Equal([6.0, 4.0], batch.Inputs["x"].AsSpan<double>().ToArray());

        // Non-integral targets stay float64 (regression).
        Assert.Equal(TensorElementType.Double, batch.Labels!.ElementType);
        Assert.Equal([1.5], batch.Labels.AsSpan<double>().ToArray());
    }

    [Fact]
    public void Bad_cell_reports_file_line_and_column()
    {
        // Line 4, second field; "5," is two characters, so the cell starts at column 3.
        var path = Write("a,b,y\n1,2,0\n3,4,1\n5,x7,0\n");
        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(path, new EvalDataOptions { LabelName = "y" }));

        Assert.Equal(PgCode.TensorFileInvalid, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Equal(4, ex.Diagnostic.Line);
        Assert.Equal(3, ex.Diagnostic.Column);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'x7'", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(path + "(4,3): error PG2020", ex.Diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_cell_and_wrong_field_count_are_located_too()
    {
        var empty = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(Write("a,b\n1,\n"), new EvalDataOptions()));
        Assert.Equal((2, 3), (empty.Diagnostic.Line!.Value, empty.Diagnostic.Column!.Value));

        var fields = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(Write("a,b\n1,2\n3\n"), new EvalDataOptions()));
        Assert.Equal(PgCode.TensorFileInvalid, fields.Code);
        Assert.Equal(3, fields.Diagnostic.Line);
    }

    [Fact]
    public void Mismatches_carry_their_codes()
    {
        var path = Write("a,b,y\n1,2,0\n");

        var shape = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Float, [-1, 3])],
            LabelName = "y",
        }));
        Assert.Equal(PgCode.DataShapeMismatch, shape.Code);

        var dtype = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Int64, [-1, 2])],
            LabelName = "y",
        }));
        Assert.Equal(PgCode.DataTypeMismatch, dtype.Code);

        var missing = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Float, [-1, 1]), ("z", TensorElementType.Float, [-1, 1])],
            InputMapping = new Dictionary<string, IReadOnlyList<string>> { ["x"] = ["a"] },
        }));
        Assert.Equal(PgCode.DataMissingInput, missing.Code);
        Assert.Contains("'z'", missing.Message, StringComparison.Ordinal);

        var label = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(path, new EvalDataOptions { LabelName = "class" }));
        Assert.Equal(PgCode.DataNotFound, label.Code);
    }
}
