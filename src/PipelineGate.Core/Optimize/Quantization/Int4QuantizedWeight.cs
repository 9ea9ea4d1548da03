namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// A [K, N] weight quantized by <see cref="Int4BlockQuantization"/>, in MatMulNBits' layout: packed uint8
/// [N, Blocks, block/2], float scales [N, Blocks], packed uint8 zero points [N, ZeroPointBytesPerColumn].
/// </summary>
public sealed record Int4QuantizedWeight(byte[] Packed, float[] Scales, byte[] ZeroPoints, int Blocks, int ZeroPointBytesPerColumn);
