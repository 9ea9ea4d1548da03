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
/// constant 2-D float tensor becomes one com.microsoft DynamicQuantizeMatMul with int8 symmetric
/// weights (per output channel by default); activations are quantized at run time by the kernel.
/// ORT's CPU provider runs this op as one fused kernel; it emits no ConvInteger (slow on CPU) and no
/// op the CPU provider lacks. MatMuls between two activations (attention scores) are left in float.
/// </summary>
public static class DynamicQuantizer
{
    public const string OpType = "DynamicQuantizeMatMul";

    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options)
    {
        QuantizationGuards.ThrowIfQuantized(input);
        var file = input.Clone();
        var graph = file.Model.Graph;
        var constants = GraphConstants.Collect(graph);
        var names = GraphConstants.AllNames(graph);
        var notes = new List<string>();
        var quantized = 0;
        var skipped = new List<string>();
        long weightBytesBefore = 0, weightBytesAfter = 0;

        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType is not ("MatMul" or "Gemm") || !string.IsNullOrEmpty(OnnxDomains.Normalize(node.Domain)))
            {
                continue;
            }

            var label = string.IsNullOrEmpty(node.Name) ? $"#{i} ({node.OpType})" : node.Name;
            if (options.ExcludeOps.Contains(node.OpType) || options.ExcludeNodes.Contains(node.Name))
            {
                skipped.Add($"{label}: excluded by the recipe");
                continue;
            }

            var plan = Plan(node, constants, file);
            if (plan.Reason is not null)
            {
                skipped.Add($"{label}: {plan.Reason}");
                continue;
            }

            var stem = string.IsNullOrEmpty(node.Name) ? $"node{i}" : node.Name;
            var unsigned = options.WeightType == "uint8";
            var weightName = GraphConstants.UniqueName(names, stem + (unsigned ? "_W_uint8" : "_W_int8"));
            var scaleName = GraphConstants.UniqueName(names, stem + "_W_scale");
            var zeroName = GraphConstants.UniqueName(names, stem + "_W_zero_point");
            long[] scaleDims = options.PerChannel ? [plan.Columns] : [];
            float[] scales;
            if (unsigned)
            {
                var (values, s, zeros) = QuantizationMath.QuantizeWeightsUInt8(plan.Weights!, plan.Rows, plan.Columns, options.PerChannel);
                scales = s;
                graph.Initializer.Add(Tensor(weightName, TensorElementType.UInt8, [plan.Rows, plan.Columns], values));
                graph.Initializer.Add(Tensor(zeroName, TensorElementType.UInt8, scaleDims, zeros));
            }
            else
            {
                var (values, s) = QuantizationMath.QuantizeWeights(plan.Weights!, plan.Rows, plan.Columns, options.PerChannel, options.ReduceRange ? 63 : QuantizationMath.Int8Max);
                scales = s;
                graph.Initializer.Add(Tensor(weightName, TensorElementType.Int8, [plan.Rows, plan.Columns], MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
                graph.Initializer.Add(Tensor(zeroName, TensorElementType.Int8, scaleDims, new byte[scales.Length]));
            }

            graph.Initializer.Add(Tensor(scaleName, TensorElementType.Float, scaleDims, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray()));

            var replacement = new NodeProto
            {
                OpType = OpType,
                Domain = OnnxDomains.Microsoft,
                Name = GraphConstants.UniqueName(names, stem + "_quant"),
            };
            replacement.Input.Add([node.Input[0], weightName, scaleName, zeroName]);
            if (plan.Bias is { } bias)
            {
                var biasName = GraphConstants.UniqueName(names, stem + "_bias");
                graph.Initializer.Add(Tensor(biasName, TensorElementType.Float, bias.Dims.ToArray(), bias.RawData.ToByteArray()));
                if (bias.Dims.Count == 1 && bias.Dims[0] == plan.Columns)
                {
                    replacement.Input.Add(biasName);
                    replacement.Output.Add(node.Output[0]);
                    graph.Node[i] = replacement;
                }
                else
                {
                    // A scalar or [M, N] bias does not fit DynamicQuantizeMatMul's [N] bias input: add it after the product.
                    var product = GraphConstants.UniqueName(names, stem + "_product");
                    replacement.Output.Add(product);
                    var add = new NodeProto { OpType = "Add", Name = GraphConstants.UniqueName(names, stem + "_bias_add") };
                    add.Input.Add([product, biasName]);
                    add.Output.Add(node.Output[0]);
                    graph.Node[i] = replacement;
                    graph.Node.Insert(i + 1, add);
                    i++;
                }
            }
            else
            {
                replacement.Output.Add(node.Output[0]);
                graph.Node[i] = replacement;
            }
            quantized++;
            weightBytesBefore += (long)plan.Rows * plan.Columns * 4;
            weightBytesAfter += ((long)plan.Rows * plan.Columns) + (scales.Length * 5);
        }

        if (quantized == 0)
        {
            throw new PipelineGateException(PgCode.RecipeNotApplicable,
                $"Dynamic quantization found no MatMul or Gemm with a constant 2-D float weight to quantize{(skipped.Count > 0 ? $" ({string.Join("; ", skipped.Take(5))})" : "")}; the variant would equal the original.",
                input.DisplayPath, hint: "For convolutional models use mode: static (QDQ with calibration), or remove the quantize step.");
        }

        GraphConstants.RemoveUnused(graph);
        QuantizationGuards.EnsureOpset(file.Model, OnnxDomains.Microsoft, 1);
        QuantizationMetadata.Stamp(file.Model, "dynamic", options, quantized);
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{quantized} MatMul/Gemm node(s) quantized to 8 bits ({(options.PerChannel ? "per-channel" : "per-tensor")} {(options.WeightType == "uint8" ? "asymmetric uint8" : options.ReduceRange ? "symmetric 7-bit int8" : "symmetric int8")} weights, dynamic uint8 activations); weights {weightBytesBefore:N0} → {weightBytesAfter:N0} bytes."));
        if (skipped.Count > 0)
        {
            notes.Add($"{skipped.Count} kept in float: " + string.Join("; ", skipped.Take(20)) + (skipped.Count > 20 ? "; …" : ""));
        }

        var subgraphMatMuls = ModelWalker.SubgraphsOf(graph.Node).SelectMany(ModelWalker.GraphAndSubgraphs).SelectMany(static g => g.Node).Count(static n => n.OpType is "MatMul" or "Gemm");
        if (subgraphMatMuls > 0)
        {
            notes.Add($"{subgraphMatMuls} MatMul/Gemm node(s) inside If/Loop/Scan bodies were left in float.");
        }

        return new OptimizationOutput(file, notes);
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
