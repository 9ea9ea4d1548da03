using System.Runtime.InteropServices;
using Google.Protobuf;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// float32 → float16 conversion of tensors. Values beyond float16's range are clamped to ±65504
/// rather than becoming ±Inf (exporters use −1e9 or float.MaxValue as "minus infinity" masks, and an
/// Inf there turns 0 × Inf into NaN), and non-zero values below the smallest float16 subnormal
/// (≈ 5.96e−8) are kept at that value with their sign rather than flushed to 0, so that an epsilon
/// added before a division or a square root stays non-zero. Both are counted for the report.
/// </summary>
internal sealed class Fp16Tensors
{
    private static readonly float MaxHalf = (float)Half.MaxValue;
    private static readonly float MinSubnormal = (float)Half.Epsilon;

    /// <summary>Constants smaller than this stay float32 when only float32 nodes read them (shape-like values must stay exact).</summary>
    public const int MinimumStoredElements = 16;

    public long Clamped { get; private set; }

    public long RaisedFromZero { get; private set; }

    public long BytesBefore { get; private set; }

    public long BytesAfter { get; private set; }

    public int Tensors { get; private set; }

    public static bool IsFloat(TensorProto t) => t.DataType == (int)TensorElementType.Float;

    /// <summary>True when every value of a float32 tensor is within float16's range (so that storing it as float16 clamps nothing).</summary>
    public static bool InRange(TensorProto t, ModelFile? file)
    {
        foreach (var v in TensorProtoConverter.ToTensorData(t, file, $"'{t.Name}'").AsSpan<float>())
        {
            if (Math.Abs(v) > MaxHalf && !float.IsInfinity(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A float16 copy of a float32 tensor (same name, dims and doc), data in raw_data.</summary>
    public TensorProto ToHalf(TensorProto t, ModelFile? file)
    {
        var values = TensorProtoConverter.ToTensorData(t, file, $"'{t.Name}'").AsSpan<float>();
        var half = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            half[i] = Convert(values[i]);
        }

        var result = new TensorProto { Name = t.Name, DataType = (int)TensorElementType.Float16, DocString = t.DocString, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(half.AsSpan())) };
        result.Dims.Add(t.Dims);
        Tensors++;
        BytesBefore += values.Length * 4L;
        BytesAfter += values.Length * 2L;
        return result;
    }

    /// <summary>A float16 tensor from plain values (Constant's value_float(s), ConstantOfShape's default 0).</summary>
    public TensorProto ToHalf(IReadOnlyList<float> values, long[] dims)
    {
        var half = values.Select(Convert).ToArray();
        var result = new TensorProto { DataType = (int)TensorElementType.Float16, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(half.AsSpan())) };
        result.Dims.Add(dims);
        return result;
    }

    private Half Convert(float v)
    {
        if (float.IsNaN(v))
        {
            return Half.NaN;
        }

        var magnitude = Math.Abs(v);
        if (magnitude > MaxHalf && !float.IsInfinity(v))
        {
            Clamped++;
            return (Half)Math.CopySign(MaxHalf, v);
        }

        if (magnitude > 0 && magnitude < MinSubnormal)
        {
            RaisedFromZero++;
            return (Half)Math.CopySign(MinSubnormal, v);
        }

        return (Half)v;
    }
}
