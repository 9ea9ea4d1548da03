using System.Globalization;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Pruning;

/// <summary>A layer's weight that magnitude pruning may zero, and the axis its N:M groups run along (the reduction axis).</summary>
internal sealed record PrunableWeight(string Layer, TensorProto Tensor, int ReductionAxis);

/// <summary>
/// Finds the weights of Conv, ConvTranspose, Gemm and MatMul (constant float tensors, in initializers or
/// Constant nodes) in graph order. Biases, normalization parameters and embeddings (tensors a Gather
/// reads) are never candidates: only the weight input of those ops is.
/// </summary>
internal static class PrunableWeights
{
    public static List<PrunableWeight> Find(GraphProto graph, List<string> skipped)
    {
        var constants = GraphConstants.Collect(graph);
        var gathered = graph.Node.Where(static n => n.OpType == "Gather" && n.Input.Count > 0).Select(static n => n.Input[0]).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<PrunableWeight>();
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var n = graph.Node[i];
            if (n.OpType is not ("Conv" or "ConvTranspose" or "Gemm" or "MatMul") || !OnnxDomains.Same(n.Domain, OnnxDomains.Default) || n.Input.Count < 2)
            {
                continue;
            }

            var label = string.IsNullOrEmpty(n.Name) ? string.Create(CultureInfo.InvariantCulture, $"#{i} ({n.OpType})") : n.Name;
            if (!constants.TryGetValue(n.Input[1], out var w))
            {
                continue; // activation × activation (attention scores): no weight
            }

            if (!WeightTensors.IsFloat(w) || w.Dims.Count < 2)
            {
                skipped.Add($"{label}: weight is not a float tensor of rank ≥ 2");
                continue;
            }

            if (gathered.Contains(n.Input[1]))
            {
                skipped.Add($"{label}: weight is shared with an embedding (Gather)");
                continue;
            }

            if (!seen.Add(n.Input[1]))
            {
                continue;
            }

            var axis = n.OpType switch
            {
                "Conv" => 1,
                "ConvTranspose" => 0,
                "Gemm" => Onnx.Facts.NodeAttributes.Int(n, "transB", 0) == 1 ? 1 : 0,
                _ => w.Dims.Count - 2,
            };
            result.Add(new PrunableWeight(label, w, axis));
        }

        return result;
    }
}
