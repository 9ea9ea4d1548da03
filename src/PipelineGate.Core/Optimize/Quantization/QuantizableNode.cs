namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// A Conv, MatMul or Gemm that static quantization can turn into a QDQ group: its activation input,
/// its constant weight with the per-channel axis, and the tensor whose Q→DQ follows it (its output, or
/// the output of a Relu that is its only consumer, so that ORT folds the Relu into the quantized op);
/// <see cref="Output"/> is null when that tensor is a graph output.
/// </summary>
internal sealed record QuantizableNode(int Index, string Label, string OpType, string Activation, string Weight, int Axis, string? Output, IReadOnlyList<string> Touched);
