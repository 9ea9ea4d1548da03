using System.Runtime.InteropServices;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

// The fused-Attention rewrite of DynamicQuantizer.
public static partial class DynamicQuantizer
{
    // Attributes of com.microsoft QAttention (a fused Attention with others, e.g. qkv_hidden_sizes, stays float).
    private static readonly HashSet<string> QAttentionAttributes = new(StringComparer.Ordinal) { "num_heads", "unidirectional", "do_rotary", "past_present_share_buffer", "mask_filter_value", "scale" };

    private sealed partial class Run
    {
        /// <summary>
        /// ORT's fused com.microsoft Attention (what its transformer optimizer makes of BERT-style
        /// self-attention) → DynamicQuantizeLinear on the input + com.microsoft QAttention, whose QKV
        /// projection runs as one 8-bit GEMM. Weight layout [input hidden, 3·hidden] is unchanged;
        /// scales and zero points are per column (or one per tensor). Variants QAttention cannot express
        /// (separate Q/K/V sizes, relative position bias) stay float with the reason.
        /// </summary>
        /// <returns>The index of the last node the replacement occupies.</returns>
        private int Attention(GraphProto graph, int i, string label, Dictionary<string, TensorProto> constants)
        {
            var node = graph.Node[i];
            if (NodeAttributes.Find(node, "qkv_hidden_sizes") is not null)
            {
                Skipped.Add($"{label}: Attention with qkv_hidden_sizes has no QAttention form");
                return i;
            }

            if (node.Input.Skip(5).Any(static n => !string.IsNullOrEmpty(n)))
            {
                Skipped.Add($"{label}: Attention with relative position bias or past_sequence_length has no QAttention form");
                return i;
            }

            if (node.Input.Count < 3 || !constants.TryGetValue(node.Input[1], out var w) || w.DataType != (int)TensorElementType.Float || w.Dims.Count != 2)
            {
                Skipped.Add($"{label}: its QKV weight is not a constant 2-D float32 tensor");
                return i;
            }

            var rows = (int)w.Dims[0];
            var columns = (int)w.Dims[1];
            var data = TensorProtoConverter.ToTensorData(w, _file, $"'{w.Name}'").AsSpan<float>();
            var stem = string.IsNullOrEmpty(node.Name) ? $"node{i}" : node.Name;
            var (weightName, scaleName, zeroName, scaleCount) = Weight2D(graph, stem + "_W", data, rows, columns);

            var quantizedInput = GraphConstants.UniqueName(_names, stem + "_input_quantized");
            var inputScale = GraphConstants.UniqueName(_names, stem + "_input_scale");
            var inputZero = GraphConstants.UniqueName(_names, stem + "_input_zero_point");
            var dynamic = new NodeProto { OpType = "DynamicQuantizeLinear", Name = GraphConstants.UniqueName(_names, stem + "_input_quantize") };
            dynamic.Input.Add(node.Input[0]);
            dynamic.Output.Add([quantizedInput, inputScale, inputZero]);

            var replacement = new NodeProto { OpType = AttentionOpType, Domain = OnnxDomains.Microsoft, Name = GraphConstants.UniqueName(_names, stem + "_quant") };
            replacement.Input.Add([quantizedInput, weightName, node.Input[2], inputScale, scaleName,
                node.Input.Count > 3 ? node.Input[3] : string.Empty, inputZero, zeroName, node.Input.Count > 4 ? node.Input[4] : string.Empty]);
            replacement.Output.Add(node.Output);
            replacement.Attribute.Add(node.Attribute.Where(static a => QAttentionAttributes.Contains(a.Name)));
            graph.Node[i] = dynamic;
            graph.Node.Insert(i + 1, replacement);
            Attentions++;
            MatMulBytesBefore += (long)rows * columns * 4;
            MatMulBytesAfter += ((long)rows * columns) + (scaleCount * 5L);
            return i + 1;
        }
    }
}
