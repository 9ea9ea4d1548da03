using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Ops the float16 conversion keeps in float32 (with Casts around them), and why. Two sources: ops that
/// lose accuracy or overflow in float16 (float16's largest value is 65504, so sums and means over many
/// elements, exponentials and coordinate maths go to Inf or lose the low bits), and ops that need
/// float32 inputs by their schema or do not load with float16 in ONNX Runtime 1.30's CPU provider
/// (found by loading one single-op float16 model per op in ORT: Fp16KernelProbeTests). Nodes reading a
/// constant beyond float16's range are kept too, by Fp16Converter (a BatchNormalization running
/// variance of 9.8e7 in PP-OCRv4's detector turned its output to noise when clamped).
/// </summary>
internal static class Fp16BlockList
{
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        // Accuracy and overflow.
        ["ReduceMean"] = "sums many elements (overflows float16)",
        ["ReduceSum"] = "sums many elements (overflows float16)",
        ["ReduceProd"] = "products overflow float16",
        ["ReduceL2"] = "sums squares (overflows float16)",
        ["ReduceSumSquare"] = "sums squares (overflows float16)",
        ["ReduceLogSumExp"] = "exponentials overflow float16",
        ["CumSum"] = "running sums overflow float16",
        ["Range"] = "index arithmetic loses integers above 2048 in float16",
        ["TopK"] = "ties and ordering change with float16 rounding",
        ["NonMaxSuppression"] = "box coordinates and IoU need float32",
        ["RoiAlign"] = "box coordinates need float32",
        ["Resize"] = "its scales input must be float32 and coordinates need float32",
        ["Upsample"] = "its scales input must be float32",
        ["RandomNormal"] = "random generators are float32 by design",
        ["RandomNormalLike"] = "random generators are float32 by design",
        ["RandomUniform"] = "random generators are float32 by design",
        ["RandomUniformLike"] = "random generators are float32 by design",
        ["Multinomial"] = "takes float32 probabilities",

        // Control flow: bodies are kept in float32 as a whole so that their types stay consistent.
        ["If"] = "control flow: its branches stay float32",
        ["Loop"] = "control flow: its body stays float32",
        ["Scan"] = "control flow: its body stays float32",

        // ONNX schemas without float16 (the model would not load: "Type 'tensor(float16)' ... is invalid"),
        // found by Fp16KernelProbeTests on ORT 1.30. No probed op failed with NOT_IMPLEMENTED: for ops
        // without a float16 CPU kernel (Conv, LSTM...), ORT inserts Casts to float32 itself.
        ["Celu"] = "its ONNX schema allows only float32",
        ["IsInf"] = "its ONNX schema allows float16 only from opset 20",

        // Signal processing ops: precision-sensitive.
        ["DFT"] = "signal processing needs float32",
        ["STFT"] = "signal processing needs float32",
    };

    /// <summary>Why a node must stay float32, or null when it can compute in float16.</summary>
    public static string? Reason(NodeProto node)
    {
        if (!OnnxDomains.Same(node.Domain, OnnxDomains.Default))
        {
            return $"op of domain '{node.Domain}' (not converted)";
        }

        if (Reasons.TryGetValue(node.OpType, out var reason))
        {
            return reason;
        }

        // Any other op holding a subgraph (e.g. SequenceMap) is treated like If/Loop.
        return node.Attribute.Any(static a => a.G is not null || a.Graphs.Count > 0) ? "holds a subgraph: kept float32 as a whole" : null;
    }

    public static IReadOnlyCollection<string> OpTypes => Reasons.Keys;
}
