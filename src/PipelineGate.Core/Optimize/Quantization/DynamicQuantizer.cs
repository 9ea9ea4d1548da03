using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Dynamic int8 quantization: every MatMul (and Gemm that is a plain A·B + bias) whose weight is a
/// constant 2-D float tensor becomes one com.microsoft DynamicQuantizeMatMul with 8-bit weights (per
/// output channel by default); every LSTM with constant W and R becomes one com.microsoft
/// DynamicQuantizeLSTM; ORT's fused com.microsoft Attention becomes DynamicQuantizeLinear + QAttention; an
/// embedding lookup (Gather over a constant 2-D float table) reads an 8-bit table and is dequantized after it.
/// Activations are quantized at run time. ORT's CPU provider runs all of these as fused kernels;
/// nothing here emits ConvInteger (slow on CPU) or an op the CPU provider lacks. MatMuls between two
/// activations (attention scores) stay float, and so do GRU and RNN, for which ORT has no
/// dynamic-quantized kernel. Nodes inside If/Loop/Scan bodies are quantized like top-level ones (the
/// new weights are stored in the body that uses them).
/// </summary>
public static partial class DynamicQuantizer
{
    public const string OpType = "DynamicQuantizeMatMul";

    public const string LstmOpType = "DynamicQuantizeLSTM";

    public const string AttentionOpType = "QAttention";

    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options)
    {
        QuantizationGuards.ThrowIfQuantized(input);
        var file = input.Clone();
        var graph = file.Model.Graph;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in ModelWalker.GraphAndSubgraphs(graph))
        {
            names.UnionWith(GraphConstants.AllNames(g));
        }

        var run = new Run(file, options, names);
        run.Graph(graph, GraphConstants.Collect(graph));

        if (run.MatMuls + run.Lstms + run.Attentions + run.Gathers == 0)
        {
            throw new PipelineGateException(PgCode.RecipeNotApplicable,
                $"Dynamic quantization found no MatMul or Gemm with a constant 2-D float weight, no LSTM with constant weights and no fused Attention to quantize{(run.Skipped.Count > 0 ? $" ({string.Join("; ", run.Skipped.Take(5))})" : "")}; the variant would equal the original.",
                input.DisplayPath, hint: "For convolutional models use mode: static (QDQ with calibration), or remove the quantize step.");
        }

        var notes = new List<string>();
        if (run.MatMuls + run.Lstms + run.Attentions > 0)
        {
            QuantizationGuards.EnsureOpset(file.Model, OnnxDomains.Microsoft, 1);
        }

        if (run.Gathers > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{run.Gathers} embedding table(s) (Gather) stored in 8 bits and dequantized after the lookup ({run.GatherLayout}); tables {run.GatherBytesBefore:N0} → {run.GatherBytesAfter:N0} bytes."));
        }

        QuantizationMetadata.Stamp(file.Model, "dynamic", options, run.MatMuls + run.Lstms + run.Attentions + run.Gathers);
        var weights = (options.WeightType == "uint8" ? "asymmetric uint8" : options.ReduceRange ? "symmetric 7-bit int8" : "symmetric int8")
            + (options.WeightTypeIsAuto ? (options.WeightType == "int8" ? " (weight-type auto: this CPU has VNNI; pin weight-type: uint8 for CPUs without it)" : " (weight-type auto: no VNNI on this CPU)") : "");
        var layout = options.PerChannel ? "per-channel" : "per-tensor";
        if (run.MatMuls + run.Attentions > 0)
        {
            var attention = run.Attentions > 0 ? $" and {run.Attentions} fused Attention node(s) (→ QAttention)" : "";
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{run.MatMuls} MatMul/Gemm node(s){attention} quantized to 8 bits ({layout} {weights} weights, dynamic uint8 activations); weights {run.MatMulBytesBefore:N0} → {run.MatMulBytesAfter:N0} bytes."));
        }

        if (run.Lstms > 0)
        {
            var lstmWeights = options.WeightTypeIsAuto || options.WeightType == "uint8" ? "symmetric uint8 (zero point 128)" : weights;
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{run.Lstms} LSTM node(s) quantized to DynamicQuantizeLSTM ({layout} {lstmWeights} W and R); weights {run.LstmBytesBefore:N0} → {run.LstmBytesAfter:N0} bytes."));
        }

        if (run.Skipped.Count > 0)
        {
            notes.Add($"{run.Skipped.Count} kept in float: " + string.Join("; ", run.Skipped.Take(20)) + (run.Skipped.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(file, notes);
    }

    /// <summary>State of one quantization pass over a graph and its subgraphs.</summary>
    private sealed partial class Run(ModelFile file, QuantizeOptions options, HashSet<string> names)
    {
        private readonly ModelFile _file = file;
        private readonly QuantizeOptions _options = options;
        private readonly HashSet<string> _names = names;

        public int MatMuls { get; private set; }

        public int Lstms { get; private set; }

        public int Attentions { get; private set; }

        public long MatMulBytesBefore { get; private set; }

        public long MatMulBytesAfter { get; private set; }

        public long LstmBytesBefore { get; private set; }

        public long LstmBytesAfter { get; private set; }

        public List<string> Skipped { get; } = [];

        /// <summary>Quantizes a graph's nodes, then its subgraphs' (which also see this graph's constants), then drops unused weights.</summary>
        public void Graph(GraphProto graph, Dictionary<string, TensorProto> visible)
        {
            for (var i = 0; i < graph.Node.Count; i++)
            {
                var node = graph.Node[i];
                foreach (var sub in ModelWalker.SubgraphsOf([node]))
                {
                    Graph(sub, Visible(visible, sub));
                }

                var label = string.IsNullOrEmpty(node.Name) ? $"#{i} ({node.OpType})" : node.Name;
                if (!string.IsNullOrEmpty(OnnxDomains.Normalize(node.Domain)))
                {
                    if (node.OpType == "Attention" && OnnxDomains.Same(node.Domain, OnnxDomains.Microsoft))
                    {
                        if (_options.ExcludeOps.Contains(node.OpType) || _options.ExcludeNodes.Contains(node.Name))
                        {
                            Skipped.Add($"{label}: excluded by the recipe");
                        }
                        else
                        {
                            i = Attention(graph, i, label, visible);
                        }
                    }

                    continue;
                }

                switch (node.OpType)
                {
                    case "MatMul" or "Gemm" or "LSTM" when _options.ExcludeOps.Contains(node.OpType) || _options.ExcludeNodes.Contains(node.Name):
                        Skipped.Add($"{label}: excluded by the recipe");
                        break;
                    case "MatMul" or "Gemm":
                        i = MatMul(graph, i, label, visible);
                        break;
                    case "LSTM":
                        Lstm(graph, i, label, visible);
                        break;
                    case "Gather" when _options.Embeddings && !_options.ExcludeOps.Contains(node.OpType) && !_options.ExcludeNodes.Contains(node.Name):
                        i = Gather(graph, i, label, visible);
                        break;
                    case "GRU" or "RNN":
                        Skipped.Add($"{label}: ONNX Runtime has no dynamic-quantized {node.OpType} kernel");
                        break;
                }
            }

            GraphConstants.RemoveUnused(graph);
        }

        /// <summary>Constants a subgraph can read: the enclosing ones, minus _names it redefines, plus its own.</summary>
        private static Dictionary<string, TensorProto> Visible(Dictionary<string, TensorProto> outer, GraphProto sub)
        {
            var result = new Dictionary<string, TensorProto>(outer, StringComparer.Ordinal);
            foreach (var i in sub.Input)
            {
                result.Remove(i.Name);
            }

            foreach (var n in sub.Node)
            {
                foreach (var o in n.Output)
                {
                    result.Remove(o);
                }
            }

            foreach (var (name, tensor) in GraphConstants.Collect(sub))
            {
                result[name] = tensor;
            }

            return result;
        }

        /// <returns>The index of the last node the replacement occupies.</returns>
        private int MatMul(GraphProto graph, int i, string label, Dictionary<string, TensorProto> constants)
        {
            var node = graph.Node[i];
            var plan = Plan(node, constants, _file);
            if (plan.Reason is not null)
            {
                Skipped.Add($"{label}: {plan.Reason}");
                return i;
            }

            var stem = string.IsNullOrEmpty(node.Name) ? $"node{i}" : node.Name;
            var (weightName, scaleName, zeroName, scaleCount) = Weight2D(graph, stem + "_W", plan.Weights!, plan.Rows, plan.Columns);

            var replacement = new NodeProto
            {
                OpType = OpType,
                Domain = OnnxDomains.Microsoft,
                Name = GraphConstants.UniqueName(_names, stem + "_quant"),
            };
            replacement.Input.Add([node.Input[0], weightName, scaleName, zeroName]);
            MatMuls++;
            MatMulBytesBefore += (long)plan.Rows * plan.Columns * 4;
            MatMulBytesAfter += ((long)plan.Rows * plan.Columns) + (scaleCount * 5L);
            if (plan.Bias is not { } bias)
            {
                replacement.Output.Add(node.Output[0]);
                graph.Node[i] = replacement;
                return i;
            }

            var biasName = GraphConstants.UniqueName(_names, stem + "_bias");
            graph.Initializer.Add(Tensor(biasName, TensorElementType.Float, bias.Dims.ToArray(), bias.RawData.ToByteArray()));
            if (bias.Dims.Count == 1 && bias.Dims[0] == plan.Columns)
            {
                replacement.Input.Add(biasName);
                replacement.Output.Add(node.Output[0]);
                graph.Node[i] = replacement;
                return i;
            }

            // A scalar or [M, N] bias does not fit DynamicQuantizeMatMul's [N] bias input: add it after the product.
            var product = GraphConstants.UniqueName(_names, stem + "_product");
            replacement.Output.Add(product);
            var add = new NodeProto { OpType = "Add", Name = GraphConstants.UniqueName(_names, stem + "_bias_add") };
            add.Input.Add([product, biasName]);
            add.Output.Add(node.Output[0]);
            graph.Node[i] = replacement;
            graph.Node.Insert(i + 1, add);
            return i + 1;
        }

        /// <summary>A [K, N] weight as 8-bit values with per-column (or per-tensor) scales and zero points, added to the graph.</summary>
        private (string Values, string Scale, string ZeroPoint, int ScaleCount) Weight2D(GraphProto graph, string stem, ReadOnlySpan<float> weights, int rows, int columns) =>
            Weight2D(graph, stem, weights, rows, columns, _options.PerChannel);

        private (string Values, string Scale, string ZeroPoint, int ScaleCount) Weight2D(GraphProto graph, string stem, ReadOnlySpan<float> weights, int rows, int columns, bool perChannel)
        {
            var unsigned = _options.WeightType == "uint8";
            var valuesName = GraphConstants.UniqueName(_names, stem + (unsigned ? "_uint8" : "_int8"));
            var scaleName = GraphConstants.UniqueName(_names, stem + "_scale");
            var zeroName = GraphConstants.UniqueName(_names, stem + "_zero_point");
            long[] scaleDims = perChannel ? [columns] : [];
            float[] scales;
            if (unsigned)
            {
                var (values, s, zeros) = QuantizationMath.QuantizeWeightsUInt8(weights, rows, columns, perChannel);
                scales = s;
                graph.Initializer.Add(Tensor(valuesName, TensorElementType.UInt8, [rows, columns], values));
                graph.Initializer.Add(Tensor(zeroName, TensorElementType.UInt8, scaleDims, zeros));
            }
            else
            {
                var (values, s) = QuantizationMath.QuantizeWeights(weights, rows, columns, perChannel, _options.ReduceRange ? 63 : QuantizationMath.Int8Max);
                scales = s;
                graph.Initializer.Add(Tensor(valuesName, TensorElementType.Int8, [rows, columns], MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
                graph.Initializer.Add(Tensor(zeroName, TensorElementType.Int8, scaleDims, new byte[scales.Length]));
            }

            graph.Initializer.Add(Tensor(scaleName, TensorElementType.Float, scaleDims, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray()));
            return (valuesName, scaleName, zeroName, scales.Length);
        }
    }

    /// <summary>The float weight as [K, N] (transposed and alpha-scaled for Gemm) and beta·C as a constant to add, if any.</summary>
    private sealed record WeightPlan(float[]? Weights, int Rows, int Columns, TensorProto? Bias, string? Reason);

    private static WeightPlan Plan(NodeProto node, Dictionary<string, TensorProto> constants, ModelFile file)
    {
        if (node.Input.Count < 2 || !constants.TryGetValue(node.Input[1], out var w))
        {
            return new WeightPlan(null, 0, 0, null, "its weight is not a constant (an activation × activation product such as attention)");
        }

        if (w.DataType != (int)TensorElementType.Float || w.Dims.Count != 2)
        {
            return new WeightPlan(null, 0, 0, null, $"its weight is {TensorElementTypeInfo.Name((TensorElementType)w.DataType)} of rank {w.Dims.Count}, not 2-D float32");
        }

        var data = TensorProtoConverter.ToTensorData(w, file, $"'{w.Name}'").AsSpan<float>().ToArray();
        var rows = (int)w.Dims[0];
        var columns = (int)w.Dims[1];
        TensorProto? bias = null;
        if (node.OpType == "Gemm")
        {
            if (NodeAttributes.Int(node, "transA", 0) != 0)
            {
                return new WeightPlan(null, 0, 0, null, "Gemm with transA = 1");
            }

            if (NodeAttributes.Int(node, "transB", 0) == 1)
            {
                data = Transpose(data, rows, columns);
                (rows, columns) = (columns, rows);
            }

            // alpha·(A·B) = A·(alpha·B): fold alpha into the weights before quantizing them.
            var alpha = NodeAttributes.Float(node, "alpha", 1);
            if (alpha != 1)
            {
                for (var k = 0; k < data.Length; k++)
                {
                    data[k] *= alpha;
                }
            }

            if (node.Input.Count > 2 && !string.IsNullOrEmpty(node.Input[2]))
            {
                if (!constants.TryGetValue(node.Input[2], out var c) || c.DataType != (int)TensorElementType.Float)
                {
                    return new WeightPlan(null, 0, 0, null, "Gemm bias is not a constant float tensor");
                }

                // beta·C becomes a constant; any shape that broadcasts to [M, N] is added after the product.
                var beta = NodeAttributes.Float(node, "beta", 1);
                var values = TensorProtoConverter.ToTensorData(c, file, $"'{c.Name}'").AsSpan<float>().ToArray();
                for (var k = 0; k < values.Length; k++)
                {
                    values[k] *= beta;
                }

                long[] dims = values.Length == columns && (c.Dims.Count == 1 || c.Dims.Count == 2 && c.Dims[0] == 1) ? [columns] : c.Dims.ToArray();
                bias = Tensor(c.Name, TensorElementType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            }
        }

        return new WeightPlan(data, rows, columns, bias, null);
    }

    private static float[] Transpose(float[] data, int rows, int columns)
    {
        var t = new float[data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                t[(c * rows) + r] = data[(r * columns) + c];
            }
        }

        return t;
    }

    internal static TensorProto Tensor(string name, TensorElementType type, long[] dims, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.Add(dims);
        return t;
    }
}
