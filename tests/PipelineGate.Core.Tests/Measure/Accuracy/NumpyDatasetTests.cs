using System.Buffers.Binary;
using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class NumpyDatasetTests : IDisposable
{
    private readonly AccuracyTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static EvalDataOptions DigitsOptions => new()
    {
        ModelInputs = [("pixels", TensorElementType.Float, [-1, 64])],
        LabelName = "labels",
    };

    [Fact]
    public void Digits_sample_reads_in_batches_of_100_with_a_last_batch_of_59()
    {
        var folder = AccuracyTestFiles.DigitsEval();
        using var set = EvalDatasetLoader.Open(folder, DigitsOptions);

        Assert.Equal(EvalDataFormat.NpyFolder, set.Format);
        Assert.Equal(359, set.Count);
        Assert.Equal(["pixels"], set.InputNames);
        Assert.Equal("labels", set.LabelName);

        var batches = set.ReadBatches(100).ToList();
        Assert.Equal([100, 100, 100, 59], batches.Select(static b => b.Count));
        Assert.Equal([0, 100, 200, 300], batches.Select(static b => b.Start));
        var last = batches[^1];
        Assert.Equal([59L, 64L], last.Inputs["pixels"].Shape);
        Assert.Equal(TensorElementType.Float, last.Inputs["pixels"].ElementType);
        Assert.Equal(TensorElementType.Int64, last.Labels!.ElementType);
        Assert.Equal([59L], last.Labels.Shape);

        // The batches, joined, are exactly the arrays numpy wrote.
        var pixels = NpyFile.Read(Path.Combine(folder, "pixels.npy"));
        var labels = NpyFile.Read(Path.Combine(folder, "labels.npy"));
        Assert.Equal(pixels.Bytes, batches.SelectMany(static b => b.Inputs["pixels"].Bytes).ToArray());
        Assert.Equal(labels.Bytes, batches.SelectMany(static b => b.Labels!.Bytes).ToArray());
        Assert.All(batches.SelectMany(static b => b.Labels!.AsSpan<long>().ToArray()), static l => Assert.InRange(l, 0, 9));
    }

    [Fact]
    public void Digits_sample_as_a_single_npy_with_sibling_labels()
    {
        var file = Path.Combine(AccuracyTestFiles.DigitsEval(), "pixels.npy");
        using var set = EvalDatasetLoader.Open(file, DigitsOptions with { LabelName = "labels.npy" });

        Assert.Equal(EvalDataFormat.Npy, set.Format);
        Assert.Equal(359, set.Count);
        var batch = set.ReadBatch(350, 9);
        var labels = NpyFile.Read(Path.Combine(AccuracyTestFiles.DigitsEval(), "labels.npy")).AsSpan<long>()[350..].ToArray();
        Assert.Equal(labels, batch.Labels!.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Single_npy_feeds_the_only_model_input_whatever_its_file_name()
    {
        var x = Ramp(5, 3);
        NpyFile.Write(_files.PathOf("data.npy"), x);
        NpyFile.Write(_files.PathOf("y.npy"), TensorData.Create(new long[] { 4, 3, 2, 1, 0 }, 5));

        using var set = EvalDatasetLoader.Open(_files.PathOf("data.npy"), new EvalDataOptions
        {
            ModelInputs = [("input", TensorElementType.Float, [-1, 3])],
            LabelName = "y",
        });

        var batch = set.ReadBatch(1, 3);
        Assert.Equal(["input"], set.InputNames);
        Assert.Equal(x.AsSpan<float>()[3..12].ToArray(), batch.Inputs["input"].AsSpan<float>().ToArray());
        Assert.Equal([3L, 2, 1], batch.Labels!.AsSpan<long>().ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Npz_stored_or_compressed_streams_batches_in_any_order(bool compressed)
    {
        var x = Ramp(7, 2, 2);
        var mask = TensorData.Create(new[] { true, false, true, true, false, false, true, false, true, true, false, true, false, true }, 7, 2);
        var y = TensorData.Create(new long[] { 0, 1, 2, 0, 1, 2, 0 }, 7);
        var path = _files.PathOf("eval.npz");
        NpzFile.Write(path, new Dictionary<string, TensorData> { ["x"] = x, ["mask"] = mask, ["y"] = y }, compressed);

        using var set = EvalDatasetLoader.Open(path, new EvalDataOptions
        {
            ModelInputs = [("x", TensorElementType.Float, [-1, 2, 2]), ("m", TensorElementType.Bool, [-1, -1])],
            InputMapping = new Dictionary<string, IReadOnlyList<string>> { ["m"] = ["mask"] },
            LabelName = "y",
        });

        Assert.Equal(EvalDataFormat.Npz, set.Format);
        Assert.Equal(["x", "m"], set.InputNames);
        Assert.Equal(7, set.Count);

        // Forward, then backwards (a compressed entry is reopened), then the last sample alone.
        foreach (var (start, count) in new[] { (2, 3), (0, 2), (6, 1), (0, 7), (7, 0) })
        {
            var batch = set.ReadBatch(start, count);
            Assert.Equal(x.AsSpan<float>().Slice(start * 4, count * 4).ToArray(), batch.Inputs["x"].AsSpan<float>().ToArray());
            Assert.Equal(mask.Bytes.AsSpan(start * 2, count * 2).ToArray(), batch.Inputs["m"].Bytes);
            Assert.Equal(y.AsSpan<long>().Slice(start, count).ToArray(), batch.Labels!.AsSpan<long>().ToArray());
            Assert.Equal([count, 2L, 2L], batch.Inputs["x"].Shape);
        }
    }

    [Fact]
    public void Folder_without_model_inputs_uses_every_array_but_the_label()
    {
        var folder = _files.Folder("plain");
        NpyFile.Write(Path.Combine(folder, "b.npy"), Ramp(4, 1));
        NpyFile.Write(Path.Combine(folder, "a.npy"), Ramp(4, 2));
        NpyFile.Write(Path.Combine(folder, "labels.npy"), TensorData.Create(new long[4], 4));

        using var set = EvalDatasetLoader.Open(folder, new EvalDataOptions { LabelName = "labels" });
        Assert.Equal(["a", "b"], set.InputNames);
        Assert.Equal(4, set.Count);
    }

    [Fact]
    public void Big_endian_and_fortran_order_files_are_converted()
    {
        // Arrays numpy writes with dtype '>f4' or order='F' take the full-load path.
        var bigEndian = new byte[6 * 4];
        for (var i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(bigEndian.AsSpan(i * 4), i + 0.5f);
        }

        File.WriteAllBytes(_files.PathOf("be", "x.npy"), HandWrittenNpy("'>f4'", fortran: false, "(3, 2)", bigEndian));
        using (var set = EvalDatasetLoader.Open(_files.PathOf("be", "x.npy"), new EvalDataOptions()))
        {
            Assert.Equal([2.5f, 3.5f, 4.5f, 5.5f], set.ReadBatch(1, 2).Inputs["x"].AsSpan<float>().ToArray());
        }

        // C-order [[0, 1, 2], [3, 4, 5]] stored column by column.
        var fortran = new[] { 0, 3, 1, 4, 2, 5 }.SelectMany(static v => BitConverter.GetBytes(v)).ToArray();
        File.WriteAllBytes(_files.PathOf("f", "x.npy"), HandWrittenNpy("'<i4'", fortran: true, "(2, 3)", fortran));
        using (var set = EvalDatasetLoader.Open(_files.PathOf("f", "x.npy"), new EvalDataOptions()))
        {
            Assert.Equal([3, 4, 5], set.ReadBatch(1, 1).Inputs["x"].AsSpan<int>().ToArray());
        }
    }

    [Fact]
    public void Model_input_without_an_array_is_PG2024()
    {
        var folder = AccuracyTestFiles.DigitsEval();
        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(folder, DigitsOptions with
        {
            ModelInputs = [("pixels", TensorElementType.Float, [-1, 64]), ("mask", TensorElementType.Float, [-1, 64])],
        }));
        Assert.Equal(PgCode.DataMissingInput, ex.Code);
        Assert.Contains("'mask'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'pixels'", ex.Message, StringComparison.Ordinal); // lists what is there

        NpyFile.Write(_files.PathOf("one.npy"), Ramp(2, 2));
        var single = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(_files.PathOf("one.npy"), new EvalDataOptions
        {
            ModelInputs = [("a", TensorElementType.Float, [-1, 2]), ("b", TensorElementType.Float, [-1, 2])],
        }));
        Assert.Equal(PgCode.DataMissingInput, single.Code);

        var npz = _files.PathOf("m.npz");
        NpzFile.Write(npz, new Dictionary<string, TensorData> { ["other"] = Ramp(2, 2) }, compressed: true);
        var inNpz = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(npz, new EvalDataOptions
        {
            ModelInputs = [("a", TensorElementType.Float, [-1, 2])],
        }));
        Assert.Equal(PgCode.DataMissingInput, inNpz.Code);
        Assert.Equal(npz, inNpz.Diagnostic.File);
    }

    [Fact]
    public void Wrong_dtype_is_PG2023_and_names_the_conversion()
    {
        var folder = _files.Folder("dtype");
        NpyFile.Write(Path.Combine(folder, "pixels.npy"), TensorData.Create(new double[6], 3, 2));
        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(folder, new EvalDataOptions
        {
            ModelInputs = [("pixels", TensorElementType.Float, [-1, 2])],
        }));

        Assert.Equal(PgCode.DataTypeMismatch, ex.Code);
        Assert.Equal(Path.Combine(folder, "pixels.npy"), ex.Diagnostic.File);
        Assert.Contains("float64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("float32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("astype(np.float32)", ex.Diagnostic.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new long[] { 359, 63 })]
    [InlineData(new long[] { 64 })]
    [InlineData(new long[] { 359, 8, 8 })]
    public void Wrong_non_batch_shape_is_PG2022(long[] shape)
    {
        var folder = _files.Folder("shape");
        NpyFile.Write(Path.Combine(folder, "pixels.npy"), TensorData.Create(new float[TensorData.ShapeElementCount(shape)], shape));
        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(folder, new EvalDataOptions
        {
            ModelInputs = [("pixels", TensorElementType.Float, [-1, 64])],
        }));

        Assert.Equal(PgCode.DataShapeMismatch, ex.Code);
        Assert.Contains("[N,64]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_count_differing_from_sample_count_is_PG2025()
    {
        var folder = _files.Folder("labels");
        NpyFile.Write(Path.Combine(folder, "pixels.npy"), Ramp(5, 64));
        NpyFile.Write(Path.Combine(folder, "labels.npy"), TensorData.Create(new long[4], 4));
        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(folder, DigitsOptions));

        Assert.Equal(PgCode.DataLabelMismatch, ex.Code);
        Assert.Equal(Path.Combine(folder, "labels.npy"), ex.Diagnostic.File);
    }

    [Fact]
    public void Arrays_with_different_sample_counts_are_PG2025()
    {
        var path = _files.PathOf("counts.npz");
        NpzFile.Write(path, new Dictionary<string, TensorData> { ["a"] = Ramp(5, 2), ["b"] = Ramp(6, 2) }, compressed: false);
        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(path, new EvalDataOptions()));

        Assert.Equal(PgCode.DataLabelMismatch, ex.Code);
        Assert.Contains("'a' has 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'b' has 6", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_data_or_label_is_PG2026_and_unknown_mapping_key_is_PG1004()
    {
        var missing = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(_files.PathOf("nope.npz"), new EvalDataOptions()));
        Assert.Equal(PgCode.DataNotFound, missing.Code);

        var label = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(AccuracyTestFiles.DigitsEval(), DigitsOptions with { LabelName = "targets" }));
        Assert.Equal(PgCode.DataNotFound, label.Code);

        var mapping = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(AccuracyTestFiles.DigitsEval(), DigitsOptions with
        {
            InputMapping = new Dictionary<string, IReadOnlyList<string>> { ["image"] = ["pixels"] },
        }));
        Assert.Equal(PgCode.ConfigInvalidValue, mapping.Code);
    }

    [Fact]
    public void Truncated_npy_reports_the_reader_error()
    {
        var full = _files.PathOf("full.npy");
        NpyFile.Write(full, Ramp(10, 4));
        var bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(_files.PathOf("cut", "x.npy"), bytes[..^10]);

        var ex = Assert.Throws<PipelineGateException>(() => EvalDatasetLoader.Open(_files.PathOf("cut", "x.npy"), new EvalDataOptions()));
        Assert.Equal(PgCode.TensorFileInvalid, ex.Code);
    }

    internal static TensorData Ramp(params long[] shape)
    {
        var n = (int)TensorData.ShapeElementCount(shape);
        return TensorData.Create(Enumerable.Range(0, n).Select(static i => (float)i).ToArray(), shape);
    }

    private static byte[] HandWrittenNpy(string descr, bool fortran, string shape, byte[] data)
    {
        var header = "{'descr': " + descr + ", 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        var total = 10 + header.Length + 1;
        header += new string(' ', 64 - (total % 64)) + "\n";
        var result = new List<byte> { 0x93 };
        result.AddRange("NUMPY"u8.ToArray());
        result.AddRange([1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        result.AddRange(Encoding.ASCII.GetBytes(header));
        result.AddRange(data);
        return [.. result];
    }
}
