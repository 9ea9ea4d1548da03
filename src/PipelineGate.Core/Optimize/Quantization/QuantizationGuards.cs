using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Quantization;

/// <summary>Refuses to quantize a model twice: its int8 ops would be left alone and the float parts quantized on top.</summary>
internal static class QuantizationGuards
{
    private static readonly HashSet<string> QuantizedOps = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "QLinearConv", "QLinearMatMul",
        "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "MatMulNBits", "DynamicQuantizeLSTM", "QAttention",
    };

    /// <summary>The first quantized op of the model (any graph), or null for a float model.</summary>
    public static NodeProto? FirstQuantizedOp(ModelFile model) =>
        ModelWalker.Graphs(model.Model).SelectMany(static g => g.Node).FirstOrDefault(static n => QuantizedOps.Contains(n.OpType));

    public static void ThrowIfQuantized(ModelFile model)
    {
        var op = FirstQuantizedOp(model);
        if (op is not null)
        {
            throw new PipelineGateException(PgCode.ModelAlreadyQuantized,
                $"The model is already quantized (it contains {op.OpType}{(string.IsNullOrEmpty(op.Name) ? "" : $" '{op.Name}'")}); quantizing it again would stack errors on top of the existing int8 parts.",
                model.DisplayPath, hint: "Quantize the float model instead, or drop the quantize step for this model.");
        }
    }

    public static void EnsureOpset(ModelProto model, string domain, long version)
    {
        var existing = model.OpsetImport.FirstOrDefault(o => OnnxDomains.Same(o.Domain, domain));
        if (existing is null)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }
        else if (existing.Version < version)
        {
            existing.Version = version;
        }
    }
}
