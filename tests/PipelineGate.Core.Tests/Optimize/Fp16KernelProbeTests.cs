using Google.Protobuf;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// How the float16 block list was found: one single-op model per common op, with float16 inputs and
/// weights, loaded and run by ONNX Runtime's CPU provider. An op that fails to load (NOT_IMPLEMENTED:
/// no float16 kernel and no automatic Cast fallback) or to run must be on <c>Fp16BlockList</c>; this
/// test fails when ORT changes under the block list.
/// </summary>
public sealed class Fp16KernelProbeTests(ITestOutputHelper output)
{
    private const int H = (int)TensorElementType.Float16;

    /// <summary>Op, inputs ("x" = float16 [1,4,8,8], "x2:d,d" = float16 constant, "i:v,v" = int64 constant, "" = absent), output type, attributes.</summary>
    private static readonly (string Op, string[] Inputs, int Output, (string Name, long[] Ints, float? F)[] Attributes)[] Cases =
    [
        .. new[] { "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sin", "Cos", "Tanh", "Sigmoid", "Relu", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Erf", "Sign", "Mish", "Identity", "Celu", "LeakyRelu", "ThresholdedRelu", "Shrink" }
            .Select(static op => (op, new[] { "x" }, H, Array.Empty<(string, long[], float?)>())),
        .. new[] { "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mean", "Sum", "PRelu" }
            .Select(static op => (op, new[] { "x", "w:1,4,1,1" }, H, Array.Empty<(string, long[], float?)>())),
        .. new[] { "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual" }
            .Select(static op => (op, new[] { "x", "w:1,4,1,1" }, (int)TensorElementType.Bool, Array.Empty<(string, long[], float?)>())),
        .. new[] { "ReduceMax", "ReduceMin", "ReduceL1", "ReduceLogSum", "ReduceMean", "ReduceSumSquare", "ReduceL2", "ReduceLogSumExp", "ReduceProd" }
            .Select(static op => (op, new[] { "x" }, H, new (string, long[], float?)[] { ("axes", [1], null) })),
        ("ReduceSum", ["x", "i:1"], H, []),
        ("ArgMax", ["x"], (int)TensorElementType.Int64, [("axis", [1], null)]),
        ("Softmax", ["x"], H, []), ("LogSoftmax", ["x"], H, []), ("Hardmax", ["x"], H, []),
        ("Conv", ["x", "w:8,4,3,3", "w:8"], H, [("pads", [1, 1, 1, 1], null)]),
        ("ConvTranspose", ["x", "w:4,8,2,2", "w:8"], H, [("strides", [2, 2], null)]),
        ("MaxPool", ["x"], H, [("kernel_shape", [2, 2], null)]),
        ("AveragePool", ["x"], H, [("kernel_shape", [2, 2], null)]),
        ("GlobalAveragePool", ["x"], H, []), ("GlobalMaxPool", ["x"], H, []),
        ("BatchNormalization", ["x", "w:4", "w:4", "w:4", "w:4"], H, []),
        ("InstanceNormalization", ["x", "w:4", "w:4"], H, []),
        ("LayerNormalization", ["x", "w:8", "w:8"], H, []),
        ("LRN", ["x"], H, [("size", [3], null)]),
        ("MatMul", ["x", "w:8,5"], H, []),
        ("Gemm", ["w:3,8", "w:8,5", "w:5"], H, []),
        ("Clip", ["x", "w:", "w:"], H, []),
        ("Where", ["b", "x", "w:1,4,1,1"], H, []),
        ("Transpose", ["x"], H, [("perm", [0, 2, 3, 1], null)]),
        ("Reshape", ["x", "i:1,-1"], H, []),
        ("Flatten", ["x"], H, []),
        ("Concat", ["x", "x"], H, [("axis", [1], null)]),
        ("Slice", ["x", "i:0", "i:4", "i:3"], H, []),
        ("Gather", ["x", "i:0,2"], H, [("axis", [1], null)]),
        ("Pad", ["x", "i:0,0,1,1,0,0,1,1"], H, []),
        ("Tile", ["x", "i:1,1,2,1"], H, []),
        ("Expand", ["x", "i:2,4,8,8"], H, []),
        ("Squeeze", ["x", "i:0"], H, []), ("Unsqueeze", ["x", "i:0"], H, []),
        ("Split", ["x"], H, [("axis", [1], null), ("num_outputs", [2], null)]),
        ("DepthToSpace", ["x"], H, [("blocksize", [2], null)]),
        ("SpaceToDepth", ["x"], H, [("blocksize", [2], null)]),
        ("Resize", ["x", "", "s:1,1,2,2"], H, []),
        ("TopK", ["x", "i:2"], H, []),
        ("CumSum", ["x", "i:1"], H, []),
        ("Einsum", ["x", "w:8,5"], H, [("equation", [], null)]),
        ("Trilu", ["x"], H, []),
        ("Dropout", ["x"], H, []),
        ("Cast", ["x"], H, [("to", [H], null)]),
        ("Shape", ["x"], (int)TensorElementType.Int64, []),
        ("IsNaN", ["x"], (int)TensorElementType.Bool, []),
        ("GridSample", ["x", "w:1,8,8,2"], H, []),
        ("MeanVarianceNormalization", ["x"], H, []),
        ("IsInf", ["x"], (int)TensorElementType.Bool, []),
        ("LSTM", ["x3", "w:1,16,8", "w:1,16,4"], H, [("hidden_size", [4], null)]),
        ("GRU", ["x3", "w:1,12,8", "w:1,12,4"], H, [("hidden_size", [4], null)]),
        ("RNN", ["x3", "w:1,4,8", "w:1,4,4"], H, [("hidden_size", [4], null)]),
    ];

    [Fact]
    public void Every_op_that_ORT_cannot_load_or_run_in_float16_is_on_the_block_list()
    {
        var failures = new List<string>();
        foreach (var c in Cases)
        {
            try
            {
                using var session = InferenceSession.Create(Build(c.Op, c.Inputs, c.Output, c.Attributes), c.Op);
                var x = TensorData.Create(Enumerable.Range(0, 256).Select(static i => (Half)((i % 17) / 8f - 1f)).ToArray(), 1, 4, 8, 8);
                var feed = new Dictionary<string, TensorData>();
                if (c.Inputs.Contains("x"))
                {
                    feed["x"] = x;
                }

                if (c.Inputs.Contains("x3"))
                {
                    feed["x3"] = TensorData.Create(Enumerable.Range(0, 16).Select(static i => (Half)(i / 16f)).ToArray(), 2, 1, 8);
                }

                if (c.Inputs.Contains("b"))
                {
                    feed["b"] = TensorData.Create(Enumerable.Range(0, 256).Select(static i => i % 3 == 0).ToArray(), 1, 4, 8, 8);
                }

                session.Run(feed);
            }
            catch (OrtException ex)
            {
                failures.Add($"{c.Op}: {ex.OrtCode}: {ex.Message.Split('\n')[0]}");
            }
        }

        output.WriteLine(failures.Count == 0 ? "every probed op loads and runs in float16" : string.Join(Environment.NewLine, failures));
        var blocked = Fp16BlockList.OpTypes.ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(failures, f => !blocked.Contains(f[..f.IndexOf(':', StringComparison.Ordinal)]));
    }

    private static byte[] Build(string op, string[] inputs, int outputType, (string Name, long[] Ints, float? F)[] attributes)
    {
        var graph = new GraphProto { Name = op };
        var node = TinyModels.Node(op, [], ["y"]);
        for (var i = 0; i < inputs.Length; i++)
        {
            var spec = inputs[i];
            var name = spec is "x" or "x3" or "b" or "" ? spec : $"c{i}";
            node.Input.Add(name);
            if (spec is "x" or "x3" or "b")
            {
                if (graph.Input.All(v => v.Name != spec))
                {
                    graph.Input.Add(spec == "x3" ? TinyModels.Value(spec, TensorElementType.Float16, "2", "1", "8")
                        : TinyModels.Value(spec, spec == "x" ? TensorElementType.Float16 : TensorElementType.Bool, "1", "4", "8", "8"));
                }

                continue;
            }

            if (spec.Length == 0)
            {
                continue;
            }

            var values = spec[2..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(static v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var t = new TensorProto { Name = name };
            if (spec[0] == 'w')
            {
                var count = values.Aggregate(1L, static (a, d) => a * d);
                t.DataType = H;
                t.Dims.Add(values);
                t.RawData = ByteString.CopyFrom(TensorData.Create(Enumerable.Range(0, (int)count).Select(static k => (Half)(0.1f + ((k % 5) * 0.05f))).ToArray(), values).Bytes);
            }
            else
            {
                var isFloat = spec[0] == 's';
                t.DataType = isFloat ? (int)TensorElementType.Float : (int)TensorElementType.Int64;
                t.Dims.Add(values.Length);
                t.RawData = ByteString.CopyFrom(isFloat ? TensorData.Create(values.Select(static v => (float)v).ToArray(), values.Length).Bytes : TensorData.Create(values, values.Length).Bytes);
            }

            graph.Initializer.Add(t);
        }

        foreach (var (name, ints, f) in attributes)
        {
            node.Attribute.Add(name == "equation" ? new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("bchw,wk->bchk") }
                : name is "to" or "axis" or "blocksize" or "size" or "num_outputs" or "hidden_size" ? new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = ints[0] }
                : f is { } value ? new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value }
                : new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } });
        }

        if (op is "Split" or "TopK")
        {
            node.Output.Add("y2");
        }

        graph.Node.Add(node);
        graph.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = outputType } } });
        return TinyModels.Model(graph, op is "Split" or "Mish" ? 18 : 17);
    }
}
