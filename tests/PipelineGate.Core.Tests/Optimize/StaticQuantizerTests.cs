using PipelineGate.TestAssets;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.Tests.Gate.Config;
using PipelineGate.Tests.Report;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Optimize;

/// <summary>Static QDQ quantization of the digits sample: structure, ORT fusion, fidelity on the held-out set, and bad input.</summary>
public sealed class StaticQuantizerTests(ITestOutputHelper output)
{
    private static readonly string Calibration = RepoPaths.Of("samples/digits/calibration/pixels.npy");

    private static DataConfig Eval() => new(RepoPaths.Of("samples/digits/eval/pixels.npy"), "eval/pixels.npy", "labels",
        new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1));

    [Theory]
    [InlineData("minmax")]
    [InlineData("percentile")]
    [InlineData("entropy")]
    public void Digits_QDQ_runs_in_ORT_fuses_and_agrees_with_float_on_the_eval_set(string method)
    {
        var input = QuantizationFixtures.Digits();
        var before = input.ToByteArray();

        var result = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static", Method = method }, Calibration, log: null);

        Assert.Equal(before, input.ToByteArray());
        var graph = result.Model.Model.Graph;
        Assert.DoesNotContain(graph.Node, static n => n.OpType is "ConvInteger" or "MatMulInteger" or "DynamicQuantizeMatMul");
        Assert.All(graph.Node.Where(static n => n.OpType == "MatMul"), n => Assert.EndsWith("_dequantized", n.Input[1], StringComparison.Ordinal));
        Assert.All(graph.Node.Where(static n => n.OpType == "MatMul"), n => Assert.EndsWith("_dequantized", n.Input[0], StringComparison.Ordinal));
        Assert.Equal(3, graph.Initializer.Count(static t => t.DataType == (int)TensorElementType.Int8 && t.Dims.Count == 2));
        Assert.Contains(result.Model.Model.MetadataProps, static p => p.Value.Contains("\"mode\":\"static\"", StringComparison.Ordinal));
        foreach (var note in result.Notes)
        {
            output.WriteLine(note);
        }

        var eval = NpyFile.Read(RepoPaths.Of("samples/digits/eval/pixels.npy"));
        var feed = new Dictionary<string, TensorData> { ["pixels"] = eval };
        using var folder = new TempFolder();
        var optimized = folder.File("ort-optimized.onnx");
        using var f32 = InferenceSession.Create(before, "f32");
        using var i8 = InferenceSession.Create(result.Model.ToByteArray(), "qdq", SessionConfig.Default with { OptimizedModelPath = optimized });
        var fidelity = FidelityMetrics.Compute(i8.Run(feed)["probabilities"], f32.Run(feed)["probabilities"]);
        var ortOps = ModelFile.Load(optimized).Model.Graph.Node.GroupBy(static n => n.OpType).ToDictionary(static g => g.Key, static g => g.Count());
        output.WriteLine($"{method}: top-1 agreement {fidelity.Top1Agreement:0.0000}, cosine {fidelity.MeanCosineSimilarity:0.00000}; ORT ops: {string.Join(", ", ortOps.Select(static kv => $"{kv.Key}×{kv.Value}"))}");

        Assert.True(fidelity.Top1Agreement >= 0.99, $"top-1 agreement {fidelity.Top1Agreement}");
        Assert.Equal(0, fidelity.CandidateNaNCount + fidelity.CandidateInfCount);
        Assert.Equal(3, ortOps.GetValueOrDefault("QLinearMatMul") + ortOps.GetValueOrDefault("MatMulIntegerToFloat"));
        Assert.False(ortOps.ContainsKey("MatMul"));
    }

    // Measured: int8 asymmetric 0.9944 (as uint8); symmetric 0.9666 with either type, because the pixels
    // and ReLU outputs are one-sided and a symmetric range wastes half its levels on them.
    [Theory]
    [InlineData("int8", false, 0.99)]
    [InlineData("int8", true, 0.96)]
    [InlineData("uint8", true, 0.96)]
    public void Activation_type_and_symmetry_are_honoured_and_the_model_still_agrees(string activationType, bool symmetric, double floor)
    {
        var input = QuantizationFixtures.Digits();

        var result = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static", ActivationType = activationType, SymmetricActivations = symmetric }, Calibration, log: null);

        var graph = result.Model.Model.Graph;
        var zeroPoints = graph.Node.Where(static n => n.OpType == "QuantizeLinear").Select(n => graph.Initializer.Single(t => t.Name == n.Input[2])).ToList();
        Assert.NotEmpty(zeroPoints);
        Assert.All(zeroPoints, z => Assert.Equal(activationType == "int8" ? (int)TensorElementType.Int8 : (int)TensorElementType.UInt8, z.DataType));
        if (symmetric)
        {
            Assert.All(zeroPoints, z => Assert.Equal(activationType == "int8" ? 0 : 128, z.RawData[0]));
        }

        var eval = NpyFile.Read(RepoPaths.Of("samples/digits/eval/pixels.npy"));
        var feed = new Dictionary<string, TensorData> { ["pixels"] = eval };
        using var f32 = InferenceSession.Create(input.ToByteArray(), "f32");
        using var q = InferenceSession.Create(result.Model.ToByteArray(), "qdq");
        var fidelity = FidelityMetrics.Compute(q.Run(feed)["probabilities"], f32.Run(feed)["probabilities"]);
        output.WriteLine($"{activationType} symmetric={symmetric}: top-1 agreement {fidelity.Top1Agreement:0.0000}");
        Assert.True(fidelity.Top1Agreement >= floor, $"top-1 agreement {fidelity.Top1Agreement}");
        Assert.Contains(result.Notes, n => n.Contains($"{activationType} {(symmetric ? "symmetric" : "asymmetric")} activations", StringComparison.Ordinal));
    }

    [Fact]
    public void Notes_report_the_calibration_memory_bound_which_does_not_grow_with_the_calibration_set()
    {
        using var folder = new TempFolder();
        var small = StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static", Method = "entropy" }, Calibration, log: null);

        // 100× the calibration set: the rows repeated with noise (20,000 samples).
        var rows = NpyFile.Read(Calibration).ToFloatArray();
        var random = new Random(5);
        var big = new float[rows.Length * 100];
        for (var i = 0; i < big.Length; i++)
        {
            big[i] = Math.Max(0, rows[i % rows.Length] + (0.05f * ((float)random.NextDouble() - 0.5f)));
        }

        var bigPath = folder.File("pixels.npy");
        NpyFile.Write(bigPath, TensorData.Create(big, big.Length / 64, 64));
        var large = StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static", Method = "entropy" }, bigPath, log: null);

        var smallBytes = MemoryNote(small.Notes);
        output.WriteLine(small.Notes.Single(static n => n.StartsWith("CalibrationMemoryBytes=", StringComparison.Ordinal)));
        Assert.Equal(smallBytes, MemoryNote(large.Notes));
        Assert.Equal(6 * ((2048 * 8) + 48), smallBytes); // 6 tensors (3 MatMul inputs, 3 outputs) × 2048 bins
    }

    [Fact]
    public void Fallback_on_labelled_eval_data_budgets_the_top1_accuracy_drop_and_reports_it()
    {
        var result = StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static", MaxDrop = 0 }, Calibration, Eval(), log: null);

        foreach (var note in result.Notes)
        {
            output.WriteLine(note);
        }

        var fallback = Assert.Single(result.Notes, static n => n.StartsWith("accuracy-aware fallback", StringComparison.Ordinal));
        Assert.Contains("top-1 accuracy drop", fallback, StringComparison.Ordinal);
        Assert.DoesNotContain("STILL OVER BUDGET", fallback, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_without_calibration_data_is_PG2032()
    {
        var none = Assert.Throws<PipelineGateException>(() => StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static" }, null, log: null));
        var missing = Assert.Throws<PipelineGateException>(() => StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static" }, "/nonexistent/calibration.npy", log: null));

        Assert.Equal(PgCode.CalibrationDataMissing, none.Code);
        Assert.Equal(PgCode.CalibrationDataMissing, missing.Code);
        Assert.Equal(2032, (int)none.Code);
    }

    [Fact]
    public void Calibration_data_that_does_not_fit_the_model_inputs_fails_with_the_readers_code()
    {
        using var folder = new TempFolder();
        var path = folder.File("pixels.npy");
        NpyFile.Write(path, TensorData.Create(new float[10 * 32], 10, 32));

        var ex = Assert.Throws<PipelineGateException>(() => StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static" }, path, log: null));

        Assert.Equal(PgCode.DataShapeMismatch, ex.Code);
    }

    [Fact]
    public void A_quantized_model_is_not_quantized_again()
    {
        var once = StaticQuantizer.Apply(QuantizationFixtures.Digits(), new QuantizeOptions { Mode = "static" }, Calibration, log: null).Model;

        var ex = Assert.Throws<PipelineGateException>(() => StaticQuantizer.Apply(once, new QuantizeOptions { Mode = "static" }, Calibration, log: null));

        Assert.Equal(PgCode.ModelAlreadyQuantized, ex.Code);
    }

    private static long MemoryNote(IReadOnlyList<string> notes)
    {
        var note = notes.Single(static n => n.StartsWith("CalibrationMemoryBytes=", StringComparison.Ordinal));
        return long.Parse(note["CalibrationMemoryBytes=".Length..note.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
