using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Node attributes that carry a float32 type or tensor and must follow a node into float16: Cast's
/// "to", EyeLike's "dtype", ConstantOfShape's "value" (float32 zero when absent) and Constant's value.
/// Left as they are, such a node would feed float32 into float16 consumers and the model would not load.
/// </summary>
internal static class Fp16Attributes
{
    private const int Float = (int)TensorElementType.Float;
    private const int Half = (int)TensorElementType.Float16;

    /// <summary>Attributes that name a float32 output type or hold a float32 tensor, in a node now computing in float16.</summary>
    public static void Retype(NodeProto node, Dictionary<string, int> types, Fp16Tensors tensors, ModelFile file)
    {
        switch (node.OpType)
        {
            case "Cast" when NodeAttributes.Find(node, "to") is { I: Float } to:
                to.I = Half;
                break;
            case "EyeLike" when NodeAttributes.Find(node, "dtype") is { I: Float } dtype:
                dtype.I = Half;
                break;
            case "ConstantOfShape" when types.GetValueOrDefault(node.Output[0]) == Float:
                var value = NodeAttributes.Find(node, "value");
                var tensor = value?.T is { } t ? tensors.ToHalf(t, file) : tensors.ToHalf([0f], [1]);
                if (value is null)
                {
                    node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
                }
                else
                {
                    value.T = tensor;
                }

                break;
            default:
                break;
        }
    }

    /// <summary>The float32 tensor a Constant node holds (value, value_float or value_floats), or null.</summary>
    public static TensorProto? ConstantValue(NodeProto node)
    {
        foreach (var a in node.Attribute)
        {
            switch (a.Name)
            {
                case "value" when a.T is not null:
                    return a.T;
                case "value_float":
                    return FloatTensor([a.F], []);
                case "value_floats":
                    return FloatTensor(a.Floats, [a.Floats.Count]);
                default:
                    break;
            }
        }

        return null;
    }

    private static TensorProto FloatTensor(IEnumerable<float> values, long[] dims)
    {
        var t = new TensorProto { DataType = Float };
        t.FloatData.Add(values);
        t.Dims.Add(dims);
        return t;
    }

    public static void SetConstantValue(NodeProto node, TensorProto half)
    {
        node.Attribute.Clear();
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = half });
    }
}
