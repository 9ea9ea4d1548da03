using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>Finds the Conv, MatMul and Gemm nodes of the main graph that static quantization can rewrite, and says why the others cannot.</summary>
internal static class QdqCandidates
{
    public static (List<QuantizableNode> Nodes, List<string> Skipped) Find(GraphProto graph, QuantizeOptions options)
    {
        var constants = GraphConstants.Collect(graph);
        var graphOutputs = graph.Output.Select(static o => o.Name).ToHashSet(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            foreach (var i in n.Input.Where(static i => i.Length > 0).Distinct())
            {
                if (!consumers.TryGetValue(i, out var list))
                {
                    consumers[i] = list = [];
                }

                list.Add(n);
            }
        }

        var nodes = new List<QuantizableNode>();
        var skipped = new List<string>();
        for (var index = 0; index < graph.Node.Count; index++)
        {
            var node = graph.Node[index];
            if (node.OpType is not ("Conv" or "MatMul" or "Gemm") || !string.IsNullOrEmpty(OnnxDomains.Normalize(node.Domain)))
            {
                continue;
            }

            var label = Label(node, index);
            if (options.ExcludeOps.Contains(node.OpType) || options.ExcludeNodes.Contains(node.Name))
            {
                skipped.Add($"{label}: excluded by the recipe");
                continue;
            }

            if (Reason(node, constants) is { } reason)
            {
                skipped.Add($"{label}: {reason}");
                continue;
            }

            var axis = node.OpType switch
            {
                "Conv" => 0,
                "Gemm" => NodeAttributes.Int(node, "transB", 0) == 1 ? 0 : 1,
                _ => 1,
            };
            var output = node.Output[0];
            var touched = new List<string> { node.Input[0], output };
            if (consumers.GetValueOrDefault(output) is [{ OpType: "Relu" } relu] && string.IsNullOrEmpty(OnnxDomains.Normalize(relu.Domain))
                && !graphOutputs.Contains(output) && !graphOutputs.Contains(relu.Output[0]))
            {
                output = relu.Output[0];
                touched.Add(output);
            }

            nodes.Add(new QuantizableNode(index, label, node.OpType, node.Input[0], node.Input[1], axis,
                graphOutputs.Contains(output) ? null : output, touched));
        }

        return (nodes, skipped);
    }

    public static string Label(NodeProto node, int index) => string.IsNullOrEmpty(node.Name) ? $"#{index} ({node.OpType})" : node.Name;

    private static string? Reason(NodeProto node, Dictionary<string, TensorProto> constants)
    {
        if (node.Input.Count < 2 || !constants.TryGetValue(node.Input[1], out var w))
        {
            return "its weight is not a constant (an activation × activation product)";
        }

        if (constants.ContainsKey(node.Input[0]))
        {
            return "its first input is a constant";
        }

        if (w.DataType != (int)TensorElementType.Float)
        {
            return $"its weight is {TensorElementTypeInfo.Name((TensorElementType)w.DataType)}, not float32";
        }

        var rankOk = node.OpType == "Conv" ? w.Dims.Count >= 3 : w.Dims.Count == 2;
        return rankOk ? null : $"its weight has rank {w.Dims.Count}";
    }
}
