using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.Tests.Report;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// The static QDQ fallback tiers on the real PP-OCRv4 detector with real document images (scikit-image's
/// and unpaper's, <see cref="RealDocuments"/>): calibrated on four, judged on four others. The uint16 tier
/// (int8 weights, com.microsoft uint16 Q/DQ activations) must load and run in ORT and stay close to float;
/// the fallback at max-drop 0.01 in fidelity.cosine must meet the issue's size and cosine goals on the
/// held-out images (latency is the benchmark's business: qdq-fallback).
/// </summary>
public sealed class StaticFallbackTiersTests(ITestOutputHelper output)
{
    [Fact]
    public void Uint16_activations_with_int8_weights_run_in_ORT_and_stay_within_tolerance_of_float()
    {
        using var folder = new TempFolder();
        var calibration = RealDocuments.WriteNpy(folder.NewFolder("calibration"), RealDocuments.CalibrationImages);
        var held = RealDocuments.Tensor(RealDocuments.HeldOutImages);
        var input = ModelFile.Load(RealModels.OcrDetector);
        var (model, _) = OpsetUpgrader.Upgrade(input, 13);
        var options = new QuantizeOptions { Mode = "static" };
        var (nodes, _) = QdqCandidates.Find(model.Model.Graph, options);
        var tensors = nodes.SelectMany(static n => n.Output is null ? new[] { n.Activation } : new[] { n.Activation, n.Output }).Distinct().ToList();
        var statistics = ActivationCalibrator.Run(model, tensors, calibration, CalibrationMethod.MinMax, log: null);
        var builder = new QdqBuilder(model, nodes, tensors.Where(statistics.HasData).ToDictionary(static t => t, statistics.Range), options);
        var all = nodes.Select(static n => n.Label).ToHashSet(StringComparer.Ordinal);

        var eight = builder.Build(new HashSet<string>());
        var sixteen = builder.Build(new HashSet<string>(), all);
        var eightFidelity = Fidelity(input, eight.Model, held);
        var sixteenFidelity = Fidelity(input, sixteen.Model, held);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"held-out cosine mean/min: uint8 activations {eightFidelity.MeanCosineSimilarity:0.0000}/{eightFidelity.MinCosineSimilarity:0.0000}; uint16 activations {sixteenFidelity.MeanCosineSimilarity:0.0000}/{sixteenFidelity.MinCosineSimilarity:0.0000} ({sixteen.WideTensors} tensors), relative L2 {sixteenFidelity.RelativeL2:0.0000}; weights {sixteen.WeightBytesBefore:N0} → {sixteen.WeightBytesAfter:N0} B"));

        var q16 = sixteen.Model.Model.Graph.Node.Where(static n => n is { OpType: "QuantizeLinear", Domain: OnnxDomains.Microsoft }).ToList();
        Assert.Equal(sixteen.WideTensors, q16.Count);
        var zeroPoint = sixteen.Model.Model.Graph.Initializer.Single(i => i.Name == q16[0].Input[2]);
        Assert.Equal((int)TensorElementType.UInt16, zeroPoint.DataType);
        Assert.Equal(eight.WeightBytesAfter, sixteen.WeightBytesAfter);
        Assert.Equal(0, sixteenFidelity.CandidateNaNCount);
        Assert.True(sixteenFidelity.MeanCosineSimilarity >= Uint16MeanCosine, $"uint16 mean cosine {sixteenFidelity.MeanCosineSimilarity}");
        Assert.True(sixteenFidelity.MinCosineSimilarity >= Uint16MinCosine, $"uint16 min cosine {sixteenFidelity.MinCosineSimilarity}");
        Assert.True(sixteenFidelity.MeanCosineSimilarity > eightFidelity.MeanCosineSimilarity, $"uint16 {sixteenFidelity.MeanCosineSimilarity} not above uint8 {eightFidelity.MeanCosineSimilarity}");
    }

    [Fact]
    public void Fallback_auto_at_max_drop_001_in_cosine_meets_size_and_held_out_cosine_goals()
    {
        using var folder = new TempFolder();
        var calibration = RealDocuments.WriteNpy(folder.NewFolder("calibration"), RealDocuments.CalibrationImages);
        var held = RealDocuments.Tensor(RealDocuments.HeldOutImages);
        var input = ModelFile.Load(RealModels.OcrDetector);

        var options = new QuantizeOptions { Mode = "static", MaxDrop = 0.01, MaxDropMetric = "fidelity.cosine", Fallback = "auto" };
        var result = StaticQuantizer.Apply(input, options, calibration, log: null);
        var fidelity = Fidelity(input, result.Model, held);
        var size = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fallback auto: size {size:0.000}×, held-out cosine mean {fidelity.MeanCosineSimilarity:0.0000} min {fidelity.MinCosineSimilarity:0.0000}"));
        foreach (var note in result.Notes)
        {
            output.WriteLine("  " + note);
        }

        Assert.Contains(result.Notes, static n => n.Contains("held fidelity.cosine", StringComparison.Ordinal) || n.Contains("within budget (fidelity.cosine", StringComparison.Ordinal));
        Assert.Equal(0, fidelity.CandidateNaNCount);
        Assert.True(size <= 0.35, $"size {size}");
        Assert.True(fidelity.MeanCosineSimilarity >= 0.98, $"held-out cosine {fidelity.MeanCosineSimilarity}");
    }

    [Fact]
    public void Method_auto_chooses_per_tensor_says_what_it_chose_and_the_model_runs()
    {
        using var folder = new TempFolder();
        var calibration = RealDocuments.WriteNpy(folder.NewFolder("calibration"), RealDocuments.CalibrationImages);
        var held = RealDocuments.Tensor(RealDocuments.HeldOutImages);
        var input = ModelFile.Load(RealModels.OcrDetector);

        var result = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static", Method = "auto" }, calibration, log: null);
        var fidelity = Fidelity(input, result.Model, held);
        var note = Assert.Single(result.Notes, static n => n.StartsWith("method auto chose", StringComparison.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"method auto, no fallback: held-out cosine mean {fidelity.MeanCosineSimilarity:0.0000} min {fidelity.MinCosineSimilarity:0.0000}; {note}"));

        var counts = System.Text.RegularExpressions.Regex.Matches(note, @"(minmax|percentile|entropy) (\d+)").Sum(static m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(107, counts); // every calibrated tensor of the detector got one method
        Assert.Equal(0, fidelity.CandidateNaNCount);
        Assert.True(fidelity.MeanCosineSimilarity > 0.5, $"cosine {fidelity.MeanCosineSimilarity}");
    }

    [Fact]
    public void PG2050_top1_agreement_on_a_probability_map_names_the_output_and_the_metrics_that_fit()
    {
        using var folder = new TempFolder();
        var calibration = RealDocuments.WriteNpy(folder.NewFolder("calibration"), RealDocuments.CalibrationImages);
        var input = ModelFile.Load(RealModels.OcrDetector);

        var e = Assert.Throws<PipelineGateException>(() => StaticQuantizer.Apply(input,
            new QuantizeOptions { Mode = "static", MaxDrop = 0.01, MaxDropMetric = "fidelity.top1-agreement" }, calibration, log: null));

        Assert.Equal(PgCode.MaxDropMetricNotApplicable, e.Code);
        Assert.Contains("fidelity.top1-agreement needs class scores [N, C]", e.Message, StringComparison.Ordinal);
        Assert.Contains(", 1, 320, 320]", e.Message, StringComparison.Ordinal); // the probability map's shape, batch first
        Assert.Contains("fidelity.cosine", e.Diagnostic.Hint, StringComparison.Ordinal);
    }

    // Quantization and ORT's CPU kernels are deterministic here: measured 0.9910 mean / 0.9679 min with every
    // activation in uint16 (0.9458 / 0.9060 in uint8); what remains is the int8 weights' error. These sit just
    // under the measured values, so a wrong scale or zero point in the 16-bit pairs fails.
    private const double Uint16MeanCosine = 0.985;
    private const double Uint16MinCosine = 0.96;

    private static FidelityMetrics Fidelity(ModelFile reference, ModelFile candidate, TensorData images)
    {
        var feed = new Dictionary<string, TensorData> { ["x"] = images };
        using var f32 = InferenceSession.Create(reference.ToByteArray(), "f32");
        using var q = InferenceSession.Create(candidate.ToByteArray(), "qdq");
        return FidelityMetrics.Compute(q.Run(feed).Values.Single(), f32.Run(feed).Values.Single());
    }
}
