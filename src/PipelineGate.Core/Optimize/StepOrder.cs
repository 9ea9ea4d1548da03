using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize;

/// <summary>Prune and factorize work on float weights: run on a quantized model they are a coded error (PG2038), whether the config listed them after quantize or the file was quantized already.</summary>
internal static class StepOrder
{
    public static void ThrowIfQuantized(ModelFile model, string kind)
    {
        if (Quantization.QuantizationGuards.FirstQuantizedOp(model) is { } op)
        {
            throw new PipelineGateException(PgCode.StepAfterQuantize,
                $"'{kind}' needs float weights, but the model is quantized (it contains {op.OpType}{(string.IsNullOrEmpty(op.Name) ? "" : $" '{op.Name}'")}).",
                model.DisplayPath, hint: $"Run '{kind}' before 'quantize' (steps run in the order written), on the float model.");
        }
    }
}
