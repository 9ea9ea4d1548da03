using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;

namespace PipelineGate.Optimize.Quantization;

/// <summary>Checks an opset upgrade by running the original and the upgraded model on the first calibration batch and comparing every output.</summary>
internal static class OpsetCheck
{
    /// <summary>Largest relative L2 difference allowed between the outputs (float rounding only).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Returns the largest relative L2 difference over the outputs; throws PG2033 beyond <see cref="Tolerance"/> or when the upgraded model does not load.</summary>
    public static double Compare(ModelFile original, ModelFile upgraded, string dataPath)
    {
        using var before = InferenceSession.Create(original.ToByteArray(), original.DisplayPath);
        InferenceSession after;
        try
        {
            after = InferenceSession.Create(upgraded.ToByteArray(), original.DisplayPath);
        }
        catch (PipelineGateException ex)
        {
            throw new PipelineGateException(PgCode.RecipeFailed,
                $"Raising the opset for per-axis quantization produced a model ONNX Runtime does not load: {ex.Diagnostic.Message}", original.DisplayPath,
                hint: "Use per-channel: false (opset 10 suffices), or upgrade the model's opset with another tool first.", inner: ex);
        }

        using (after)
        {
            using var data = CalibrationData.Open(dataPath, before);
            var batch = CalibrationData.Batches(data, CalibrationData.BatchSize(before, data), CalibrationData.HasFixedBatch(before), data.Count).FirstOrDefault()
                ?? throw new PipelineGateException(PgCode.CalibrationDataMissing, "The calibration data holds no complete batch to check the opset upgrade with.", dataPath);
            var expected = before.Run(batch.Inputs);
            var actual = after.Run(batch.Inputs);
            var worst = 0.0;
            foreach (var (name, reference) in expected)
            {
                var error = FidelityMetrics.Compute(actual[name], reference).RelativeL2;
                worst = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
                if (worst > Tolerance)
                {
                    throw new PipelineGateException(PgCode.RecipeFailed,
                        string.Create(CultureInfo.InvariantCulture, $"Raising the opset for per-axis quantization changed output '{name}' (relative L2 {error:0.0e0} > {Tolerance:0.0e0}); the upgrade is not faithful for this model."),
                        original.DisplayPath, hint: "Use per-channel: false (opset 10 suffices), or upgrade the model's opset with another tool first.");
                }
            }

            return worst;
        }
    }
}
