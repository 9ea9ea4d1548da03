using System.Globalization;
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
/// Static QDQ on the real PP-OCRv4 models with synthetic document images: the detector (opset 11, weights
/// as Constant nodes) is raised to opset 13, must load, and ORT must fuse its Convs into QLinearConv;
/// fidelity of the probability map against float is reported with and without the accuracy-aware fallback.
/// </summary>
public sealed class StaticQuantizerOcrTests(ITestOutputHelper output)
{
    [Fact]
    public void Detector_QDQ_loads_fuses_into_QLinearConv_and_fallback_restores_fidelity()
    {
        using var folder = new TempFolder();
        var calibration = SyntheticDocuments.WriteNpy(folder.NewFolder("calibration"), SyntheticDocuments.Create(4, 320, 320, seed: 1));
        var held = SyntheticDocuments.Create(3, 320, 320, seed: 2);
        var input = ModelFile.Load(RealModels.OcrDetector);

        var plain = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static" }, calibration, log: null);
        var fused = QLinearConvCount(plain.Model, folder.File("plain-ort.onnx"));
        var plainFidelity = Fidelity(input, plain.Model, held);
        Report("without fallback", plain.Notes, fused, plainFidelity);

        var log = new List<string>();
        var guarded = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static", MaxDrop = 0.01 }, calibration, new Progress(log));
        var guardedFused = QLinearConvCount(guarded.Model, folder.File("guarded-ort.onnx"));
        var guardedFidelity = Fidelity(input, guarded.Model, held);
        Report("with fallback (max-drop 0.01 = cosine ≥ 0.99 on the calibration images)", guarded.Notes, guardedFused, guardedFidelity);

        Assert.Equal(13, plain.Model.OpsetVersion());
        Assert.Contains(plain.Notes, static n => n.StartsWith("opset 11 → 13", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Model.Model.Graph.Node, static n => n.OpType is "ConvInteger");
        Assert.True(fused >= 55, $"only {fused} QLinearConv after ORT optimization");
        Assert.True(plainFidelity.MeanCosineSimilarity > 0.5, $"cosine {plainFidelity.MeanCosineSimilarity}");
        Assert.Equal(0, plainFidelity.CandidateNaNCount + guardedFidelity.CandidateNaNCount);
        Assert.Contains(guarded.Notes, static n => n.StartsWith("accuracy-aware fallback", StringComparison.Ordinal));
        Assert.True(guardedFidelity.MeanCosineSimilarity >= plainFidelity.MeanCosineSimilarity - 1e-3,
            $"fallback cosine {guardedFidelity.MeanCosineSimilarity} < plain {plainFidelity.MeanCosineSimilarity}");
    }

    [Fact]
    public void Recognizer_opset_9_upgrade_to_13_rewrites_moved_attributes_and_keeps_outputs()
    {
        using var folder = new TempFolder();
        var calibration = SyntheticDocuments.WriteNpy(folder.NewFolder("rec"), SyntheticDocuments.Create(2, 48, 320, seed: 3));
        var input = ModelFile.Load(RealModels.OcrRecognizer);

        var (upgraded, rewrites) = OpsetUpgrader.Upgrade(input, 13);
        var difference = OpsetCheck.Compare(input, upgraded, calibration);

        output.WriteLine($"rewrote {string.Join(", ", rewrites.GroupBy(static r => r).Select(static g => $"{g.Count()} {g.Key}"))}; max relative L2 {difference:0.0e0}");
        Assert.Equal(9, input.OpsetVersion());
        Assert.Equal(13, upgraded.OpsetVersion());
        Assert.Contains("Clip", rewrites);
        Assert.Contains("Slice", rewrites);
        Assert.Contains("Squeeze", rewrites);
        Assert.Contains("Softmax", rewrites);
        Assert.DoesNotContain(upgraded.Model.Graph.Node, static n => n.OpType is "Clip" or "Slice" or "Squeeze" && n.Attribute.Count > 0);
        Assert.True(difference <= OpsetCheck.Tolerance);
    }

    /// <summary>
    /// The recognizer is a CNN (LCNet backbone) with a small SVTR head whose output is a character class per
    /// time step: per-timestep top-1 agreement with the float model on held-out text lines of real
    /// handwritten digits is the classification fidelity the issue asks for (goal ≥ 99%).
    /// </summary>
    [Fact]
    public void Recognizer_QDQ_keeps_per_timestep_top1_agreement_on_held_out_text_lines()
    {
        using var folder = new TempFolder();
        var lines = Enumerable.Range(1, 8).SelectMany(static seed => QuantizationFixtures.TextLine(48, 320, seed).ToFloatArray()).ToArray();
        var calibration = SyntheticDocuments.WriteNpy(folder.NewFolder("calibration"), TensorData.Create(lines, 8, 3, 48, 320));
        var input = ModelFile.Load(RealModels.OcrRecognizer);

        var plain = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static" }, calibration, log: null);
        var guarded = StaticQuantizer.Apply(input, new QuantizeOptions { Mode = "static", MaxDrop = 0.001 }, calibration, log: null);

        using var f32 = InferenceSession.Create(input.ToByteArray(), "f32");
        using var q = InferenceSession.Create(plain.Model.ToByteArray(), "qdq");
        using var g = InferenceSession.Create(guarded.Model.ToByteArray(), "qdq-fallback");
        var plainAgreement = new List<double>();
        var guardedAgreement = new List<double>();
        foreach (var seed in new[] { 11, 12, 13, 14 })
        {
            var feed = new Dictionary<string, TensorData> { ["x"] = QuantizationFixtures.TextLine(48, 320, seed) };
            var reference = f32.Run(feed).Values.Single();
            var a = q.Run(feed).Values.Single();
            var b = g.Run(feed).Values.Single();
            Assert.Equal((0L, 0L), QuantizationFixtures.NonFinite(a));
            plainAgreement.Add(QuantizationFixtures.Top1Agreement(a, reference));
            guardedAgreement.Add(QuantizationFixtures.Top1Agreement(b, reference));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recognizer static QDQ: per-timestep top-1 agreement on 4 held-out lines {plainAgreement.Average():0.0000} (min {plainAgreement.Min():0.0000}); with max-drop 0.001 fallback {guardedAgreement.Average():0.0000} (min {guardedAgreement.Min():0.0000})"));
        foreach (var note in guarded.Notes)
        {
            output.WriteLine("  " + note);
        }

        Assert.True(plainAgreement.Average() >= RecognizerPlainAgreement, $"plain agreement {plainAgreement.Average()}");
        Assert.True(guardedAgreement.Average() >= RecognizerGuardedAgreement, $"fallback agreement {guardedAgreement.Average()}");
    }

    // Quantization and single-threaded ORT are deterministic here, so these sit just under the measured
    // 0.9125 (everything quantized) and 1.0000 (23 Convs/MatMuls kept float): the second is the issue's
    // ≥ 99% goal, the first catches a regression in calibration or QDQ placement.
    private const double RecognizerPlainAgreement = 0.90;
    private const double RecognizerGuardedAgreement = 0.99;

    private static int QLinearConvCount(ModelFile model, string optimizedPath)
    {
        using (InferenceSession.Create(model.ToByteArray(), "qdq", SessionConfig.Default with { OptimizedModelPath = optimizedPath }))
        {
        }

        return ModelFile.Load(optimizedPath).Model.Graph.Node.Count(static n => n.OpType == "QLinearConv");
    }

    private static FidelityMetrics Fidelity(ModelFile reference, ModelFile candidate, TensorData images)
    {
        var feed = new Dictionary<string, TensorData> { ["x"] = images };
        using var f32 = InferenceSession.Create(reference.ToByteArray(), "f32");
        using var q = InferenceSession.Create(candidate.ToByteArray(), "qdq");
        return FidelityMetrics.Compute(q.Run(feed).Values.Single(), f32.Run(feed).Values.Single());
    }

    private void Report(string title, IReadOnlyList<string> notes, int qlinearConv, FidelityMetrics fidelity)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {title}: QLinearConv after ORT optimization {qlinearConv}; held-out probability map vs float: cosine {fidelity.MeanCosineSimilarity:0.0000}, relative L2 {fidelity.RelativeL2:0.0000}, max |Δ| {fidelity.MaxAbsDifference:0.0000}"));
        foreach (var note in notes)
        {
            output.WriteLine("  " + note);
        }
    }

    private sealed class Progress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
