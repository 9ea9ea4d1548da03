using System.Runtime.InteropServices;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

// The LSTM rewrite of DynamicQuantizer.
public static partial class DynamicQuantizer
{
    private sealed partial class Run
    {
        /// <summary>
        /// LSTM → com.microsoft DynamicQuantizeLSTM. The kernel wants W as [D, input, 4H] and R as [D, H, 4H]
        /// (each direction's ONNX [4H, K] matrix transposed to [K, 4H]), scales and zero points of shape
        /// [D, 4H] (per channel) or [D] (per tensor), int8 zero points of 0, or uint8 zero points equal
        /// across channels; hence uint8 weights are symmetric here (zero point 128), not the per-channel
        /// asymmetric uint8 of DynamicQuantizeMatMul.
        /// </summary>
        private void Lstm(GraphProto graph, int i, string label, Dictionary<string, TensorProto> constants)
        {
            var node = graph.Node[i];
            if (NodeAttributes.Int(node, "layout", 0) != 0)
            {
                Skipped.Add($"{label}: layout = 1 (batch-first), which DynamicQuantizeLSTM does not support");
                return;
            }

            if (node.Input.Count < 3 || !constants.TryGetValue(node.Input[1], out var w) || !constants.TryGetValue(node.Input[2], out var r))
            {
                Skipped.Add($"{label}: its W or R is not a constant");
                return;
            }

            if (w.DataType != (int)TensorElementType.Float || r.DataType != (int)TensorElementType.Float || w.Dims.Count != 3 || r.Dims.Count != 3 || w.Dims[1] != r.Dims[1])
            {
                Skipped.Add($"{label}: W and R are not 3-D float32 tensors with 4·hidden rows");
                return;
            }

            var stem = string.IsNullOrEmpty(node.Name) ? $"node{i}" : node.Name;
            var (wq, wScale, wZero) = LstmWeight(graph, w, stem + "_W");
            var (rq, rScale, rZero) = LstmWeight(graph, r, stem + "_R");
            var replacement = new NodeProto
            {
                OpType = LstmOpType,
                Domain = OnnxDomains.Microsoft,
                Name = GraphConstants.UniqueName(_names, stem + "_quant"),
            };
            replacement.Input.Add(node.Input[0]);
            replacement.Input.Add([wq, rq]);
            for (var k = 3; k <= 7; k++)
            {
                replacement.Input.Add(k < node.Input.Count ? node.Input[k] : string.Empty);
            }

            replacement.Input.Add([wScale, wZero, rScale, rZero]);
            replacement.Output.Add(node.Output);
            replacement.Attribute.Add(node.Attribute.Where(static a => a.Name != "layout"));
            graph.Node[i] = replacement;
            Lstms++;
        }

        private (string Values, string Scale, string ZeroPoint) LstmWeight(GraphProto graph, TensorProto weight, string stem)
        {
            var directions = (int)weight.Dims[0];
            var gates = (int)weight.Dims[1]; // 4·hidden
            var inputs = (int)weight.Dims[2];
            var data = TensorProtoConverter.ToTensorData(weight, _file, $"'{weight.Name}'").AsSpan<float>();
            // weight-type auto keeps LSTMs at symmetric uint8 even with VNNI: on Silero VAD int8 W/R doubled the speech
            // probability error (max |Δp| 0.018 vs 0.0037) and the LSTM's latency did not change (docs/performance.md).
            var unsigned = _options.WeightTypeIsAuto || _options.WeightType == "uint8";
            var maxLevel = !unsigned && _options.ReduceRange ? 63 : QuantizationMath.Int8Max;
            var groups = _options.PerChannel ? gates : 1;
            var values = new byte[data.Length];
            var scales = new float[directions * groups];
            for (var d = 0; d < directions; d++)
            {
                var transposed = Transpose(data.Slice(d * gates * inputs, gates * inputs).ToArray(), gates, inputs); // [inputs, gates]
                var (q, s) = QuantizationMath.QuantizeWeights(transposed, inputs, gates, _options.PerChannel, maxLevel);
                for (var k = 0; k < q.Length; k++)
                {
                    values[(d * q.Length) + k] = unsigned ? (byte)(q[k] + 128) : unchecked((byte)q[k]);
                }

                s.CopyTo(scales, d * groups);
            }

            long[] paramDims = _options.PerChannel ? [directions, gates] : [directions];
            var zeros = new byte[scales.Length];
            if (unsigned)
            {
                Array.Fill(zeros, (byte)128);
            }

            var type = unsigned ? TensorElementType.UInt8 : TensorElementType.Int8;
            var valuesName = GraphConstants.UniqueName(_names, stem + (unsigned ? "_uint8" : "_int8"));
            var scaleName = GraphConstants.UniqueName(_names, stem + "_scale");
            var zeroName = GraphConstants.UniqueName(_names, stem + "_zero_point");
            graph.Initializer.Add(Tensor(valuesName, type, [directions, inputs, gates], values));
            graph.Initializer.Add(Tensor(scaleName, TensorElementType.Float, paramDims, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray()));
            graph.Initializer.Add(Tensor(zeroName, type, paramDims, zeros));
            LstmBytesBefore += (long)data.Length * 4;
            LstmBytesAfter += data.Length + (scales.Length * 5L);
            return (valuesName, scaleName, zeroName);
        }
    }
}
