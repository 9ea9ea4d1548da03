using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// The element type of every value of a graph, without running ONNX shape inference: from graph
/// inputs, initializers, Constant nodes and value_info, then per op. Exporters rarely store value_info
/// (the PaddleOCR models store none), and a type-changing pass must know which values are float to
/// put Casts only on float edges: a Cast on an int64 shape edge would break the model. Ops whose
/// output type is not the type of their first input are listed; all others follow input 0.
/// A value whose type cannot be told stays absent (treated as not float, so it is left alone).
/// </summary>
internal static class ElementTypeInference
{
    private const int Float = (int)TensorElementType.Float;
    private const int Int64 = (int)TensorElementType.Int64;
    private const int Bool = (int)TensorElementType.Bool;

    private static readonly HashSet<string> Int64Outputs = new(StringComparer.Ordinal) { "Shape", "Size", "NonZero", "ArgMax", "ArgMin", "NonMaxSuppression" };

    private static readonly HashSet<string> BoolOutputs = new(StringComparer.Ordinal)
    {
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf",
    };

    /// <summary>Types of the values of <paramref name="graph"/>; <paramref name="outer"/> supplies the enclosing scope of a subgraph.</summary>
    public static Dictionary<string, int> Infer(GraphProto graph, IReadOnlyDictionary<string, int>? outer = null)
    {
        var types = outer is null ? new Dictionary<string, int>(StringComparer.Ordinal) : new Dictionary<string, int>(outer, StringComparer.Ordinal);
        foreach (var v in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
        {
            if (v.Type?.TensorType is { ElemType: > 0 } t)
            {
                types[v.Name] = t.ElemType;
            }
        }

        foreach (var t in graph.Initializer)
        {
            types[t.Name] = t.DataType;
        }

        foreach (var n in graph.Node)
        {
            var produced = Outputs(n, types);
            for (var i = 0; i < n.Output.Count && i < produced.Length; i++)
            {
                if (produced[i] > 0 && !string.IsNullOrEmpty(n.Output[i]))
                {
                    // value_info written by the exporter wins over a rule; it is rarely wrong and covers ops the rules do not know.
                    types.TryAdd(n.Output[i], produced[i]);
                }
            }
        }

        return types;
    }

    private static int[] Outputs(NodeProto n, Dictionary<string, int> types)
    {
        int In(int i) => i < n.Input.Count && types.TryGetValue(n.Input[i], out var t) ? t : 0;
        int Attr(string name, int fallback) => NodeAttributes.Find(n, name) is { } a ? (int)a.I : fallback;
        var domain = OnnxDomains.Normalize(n.Domain);
        if (domain != OnnxDomains.Default)
        {
            // Contrib and ML ops: only the common float-in, float-out case is assumed.
            return domain == OnnxDomains.Microsoft ? Repeat(In(0), n.Output.Count) : [];
        }

        var op = n.OpType;
        if (Int64Outputs.Contains(op))
        {
            return [Int64];
        }

        if (BoolOutputs.Contains(op))
        {
            return [Bool];
        }

        return op switch
        {
            "Constant" => [ConstantType(n)],
            "Cast" => [Attr("to", 0)],
            "CastLike" => [In(1)],
            "ConstantOfShape" => [NodeAttributes.Find(n, "value")?.T?.DataType ?? Float],
            "EyeLike" or "RandomNormalLike" or "RandomUniformLike" or "Bernoulli" => [Attr("dtype", In(0))],
            "RandomNormal" or "RandomUniform" => [Attr("dtype", Float)],
            "Multinomial" => [Attr("dtype", (int)TensorElementType.Int32)],
            "TopK" => [In(0), Int64],
            "MaxPool" => [In(0), Int64],
            "Unique" => [In(0), Int64, Int64, Int64],
            "Dropout" => [In(0), Bool],
            "Where" => [In(1)],
            "OneHot" => [In(2)],
            "QuantizeLinear" => [n.Input.Count > 2 ? In(2) : (int)TensorElementType.UInt8],
            "DequantizeLinear" => [In(1)],
            "DynamicQuantizeLinear" => [(int)TensorElementType.UInt8, Float, (int)TensorElementType.UInt8],
            "MatMulInteger" or "ConvInteger" => [(int)TensorElementType.Int32],
            "If" => SubgraphOutputs(n, "then_branch", 0, types),
            "Loop" => SubgraphOutputs(n, "body", 1, types),
            "Scan" => SubgraphOutputs(n, "body", 0, types),
            _ => Repeat(In(0), n.Output.Count),
        };
    }

    private static int ConstantType(NodeProto n)
    {
        foreach (var a in n.Attribute)
        {
            switch (a.Name)
            {
                case "value":
                    return a.T?.DataType ?? 0;
                case "sparse_value":
                    return a.SparseTensor?.Values?.DataType ?? 0;
                case "value_float" or "value_floats":
                    return Float;
                case "value_int" or "value_ints":
                    return Int64;
                case "value_string" or "value_strings":
                    return (int)TensorElementType.String;
                default:
                    break;
            }
        }

        return 0;
    }

    /// <summary>Output types of If/Loop/Scan from the body's declared outputs (Loop's first body output is its condition).</summary>
    private static int[] SubgraphOutputs(NodeProto n, string attribute, int skip, Dictionary<string, int> types)
    {
        if (NodeAttributes.Find(n, attribute)?.G is not { } body)
        {
            return [];
        }

        var inner = Infer(body, types);
        return body.Output.Skip(skip).Select(o => inner.GetValueOrDefault(o.Name)).ToArray();
    }

    private static int[] Repeat(int type, int count) => Enumerable.Repeat(type, Math.Max(count, 1)).ToArray();
}
