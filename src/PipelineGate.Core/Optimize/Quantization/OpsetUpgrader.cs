using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Raises a model's default-domain opset (e.g. to 13 for per-axis QuantizeLinear) and rewrites the
/// nodes whose form changes on the way: Clip min/max (attributes → inputs at 11), Slice
/// starts/ends/axes (→ inputs at 10), Pad pads/value (→ inputs at 11), Squeeze/Unsqueeze/ReduceSum axes
/// and Split split (→ inputs at 13), Softmax/LogSoftmax/Hardmax (one axis instead of flattening from
/// the axis at 13: rewritten as Flatten → op → Reshape unless the axis is −1), and BatchNormalization's
/// removed attributes. An op it does not know how to move (Upsample) fails with PG2033; the caller
/// also compares outputs before and after with ONNX Runtime.
/// </summary>
internal static class OpsetUpgrader
{
    public static (ModelFile Model, List<string> Rewrites) Upgrade(ModelFile input, long target)
    {
        var from = input.OpsetVersion() ?? 1;
        var rewrites = new List<string>();
        if (from >= target)
        {
            return (input, rewrites);
        }

        var file = input.Clone();
        foreach (var graph in ModelWalker.Graphs(file.Model).ToList())
        {
            var taken = GraphConstants.AllNames(graph);
            var nodes = new List<NodeProto>(graph.Node.Count);
            foreach (var node in graph.Node)
            {
                if (!string.IsNullOrEmpty(OnnxDomains.Normalize(node.Domain)))
                {
                    nodes.Add(node);
                    continue;
                }

                var changed = Rewrite(graph, node, from, target, taken, nodes, file.DisplayPath);
                if (changed)
                {
                    rewrites.Add(node.OpType);
                }
                else
                {
                    nodes.Add(node);
                }
            }

            graph.Node.Clear();
            graph.Node.Add(nodes);
        }

        QuantizationGuards.EnsureOpset(file.Model, OnnxDomains.Default, target);
        file.Model.IrVersion = Math.Max(file.Model.IrVersion, 7);
        return (file, rewrites);
    }

    /// <summary>Appends the node's replacement to <paramref name="nodes"/> and returns true when the node changes form.</summary>
    private static bool Rewrite(GraphProto graph, NodeProto node, long from, long target, HashSet<string> taken, List<NodeProto> nodes, string model)
    {
        bool Crosses(long version) => from < version && target >= version;
        switch (node.OpType)
        {
            case "Clip" when Crosses(11) && (Has(node, "min") || Has(node, "max")):
                var min = NodeAttributes.Float(node, "min", float.MinValue);
                var max = NodeAttributes.Float(node, "max", float.MaxValue);
                Strip(node, "min", "max");
                node.Input.Add(Constant(graph, taken, node, "min", TensorData.Create(new[] { min })));
                node.Input.Add(Constant(graph, taken, node, "max", TensorData.Create(new[] { max })));
                break;
            case "Slice" when Crosses(10):
                var starts = NodeAttributes.Ints(node, "starts") ?? [];
                var ends = NodeAttributes.Ints(node, "ends") ?? [];
                var axes = NodeAttributes.Ints(node, "axes");
                Strip(node, "starts", "ends", "axes");
                node.Input.Add(Constant(graph, taken, node, "starts", TensorData.Create(starts, starts.Length)));
                node.Input.Add(Constant(graph, taken, node, "ends", TensorData.Create(ends, ends.Length)));
                if (axes is not null)
                {
                    node.Input.Add(Constant(graph, taken, node, "axes", TensorData.Create(axes, axes.Length)));
                }

                break;
            case "Pad" when Crosses(11):
                var pads = NodeAttributes.Ints(node, "pads") ?? [];
                var value = NodeAttributes.Float(node, "value", 0);
                Strip(node, "pads", "value");
                node.Input.Add(Constant(graph, taken, node, "pads", TensorData.Create(pads, pads.Length)));
                node.Input.Add(Constant(graph, taken, node, "value", TensorData.Create(new[] { value })));
                break;
            case "Squeeze" or "Unsqueeze" or "ReduceSum" when Crosses(13) && Has(node, "axes"):
                MoveInts(graph, node, "axes", taken);
                break;
            case "Split" when Crosses(13) && Has(node, "split"):
                MoveInts(graph, node, "split", taken);
                break;
            case "Softmax" or "LogSoftmax" or "Hardmax" when Crosses(13):
                var axis = NodeAttributes.Int(node, "axis", 1);
                Strip(node, "axis");
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis == -1 ? -1 : 1 });
                if (axis == -1)
                {
                    break;
                }

                // Opset < 13 flattens to 2-D at the axis and normalizes each row: Flatten, the op on axis 1, Reshape back.
                var x = node.Input[0];
                var y = node.Output[0];
                var flat = GraphConstants.UniqueName(taken, y + "_flat");
                var shape = GraphConstants.UniqueName(taken, y + "_shape");
                var result = GraphConstants.UniqueName(taken, y + "_2d");
                var flatten = Make("Flatten", GraphConstants.UniqueName(taken, node.Name + "_flatten"), [x], flat);
                flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
                nodes.Add(flatten);
                nodes.Add(Make("Shape", GraphConstants.UniqueName(taken, node.Name + "_shape"), [x], shape));
                node.Input[0] = flat;
                node.Output[0] = result;
                nodes.Add(node);
                nodes.Add(Make("Reshape", GraphConstants.UniqueName(taken, node.Name + "_reshape"), [result, shape], y));
                return true;
            case "BatchNormalization" when Crosses(9) && (Has(node, "spatial") || Has(node, "is_test") || Has(node, "consumed_inputs")):
                if (NodeAttributes.Int(node, "spatial", 1) != 1)
                {
                    throw Unsupported(node, "BatchNormalization with spatial = 0", model);
                }

                Strip(node, "spatial", "is_test", "consumed_inputs");
                break;
            case "Upsample" when target >= 10:
                throw Unsupported(node, "Upsample (deprecated at opset 10; its rewrite to Resize is not implemented)", model);
            default:
                return false;
        }

        nodes.Add(node);
        return true;
    }

    private static PipelineGateException Unsupported(NodeProto node, string what, string model) =>
        new(PgCode.RecipeFailed,
            string.Create(CultureInfo.InvariantCulture, $"Static quantization needs opset 13 (per-channel QDQ), but node '{node.Name}' is {what}, which this upgrade cannot rewrite."),
            model, hint: "Use per-channel: false (opset 10 suffices), or upgrade the model's opset with another tool first.");

    private static bool Has(NodeProto node, string name) => NodeAttributes.Find(node, name) is not null;

    private static void Strip(NodeProto node, params string[] names)
    {
        for (var i = node.Attribute.Count - 1; i >= 0; i--)
        {
            if (names.Contains(node.Attribute[i].Name))
            {
                node.Attribute.RemoveAt(i);
            }
        }
    }

    private static void MoveInts(GraphProto graph, NodeProto node, string attribute, HashSet<string> taken)
    {
        var values = NodeAttributes.Ints(node, attribute)!;
        Strip(node, attribute);
        node.Input.Add(Constant(graph, taken, node, attribute, TensorData.Create(values, values.Length)));
    }

    private static string Constant(GraphProto graph, HashSet<string> taken, NodeProto node, string what, TensorData value)
    {
        var name = GraphConstants.UniqueName(taken, $"{(string.IsNullOrEmpty(node.Name) ? node.OpType : node.Name)}_{what}");
        graph.Initializer.Add(TensorProtoConverter.FromTensorData(value, name));
        return name;
    }

    private static NodeProto Make(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }
}
