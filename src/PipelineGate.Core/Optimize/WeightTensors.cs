using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize;

/// <summary>Reading, rewriting and slicing float weight tensors, wherever they are stored (raw, typed fields, external data, Constant nodes).</summary>
internal static class WeightTensors
{
    public static bool IsFloat(TensorProto t) => t.DataType == (int)TensorElementType.Float;

    public static float[] Read(TensorProto t, ModelFile file) =>
        TensorProtoConverter.ToTensorData(t, file, $"'{t.Name}'").ToFloatArray();

    /// <summary>Replaces a tensor's values in place (same dims), stored inline as raw data from now on.</summary>
    public static void Overwrite(TensorProto t, float[] values)
    {
        var dims = t.Dims.ToArray();
        t.FloatData.Clear();
        t.ExternalData.Clear();
        t.DataLocation = TensorProto.Types.DataLocation.Default;
        t.RawData = Google.Protobuf.ByteString.CopyFrom(TensorData.Create(values, dims).Bytes);
    }

    public static TensorProto Create(string name, float[] values, long[] dims) =>
        TensorProtoConverter.FromTensorData(TensorData.Create(values, dims), name);

    /// <summary>A row-major tensor seen as [outer, size, inner] around one axis.</summary>
    public static (long Outer, long Size, long Inner) AroundAxis(long[] dims, int axis)
    {
        long outer = 1, inner = 1;
        for (var d = 0; d < axis; d++)
        {
            outer *= dims[d];
        }

        for (var d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        return (outer, dims[axis], inner);
    }

    /// <summary>Keeps the given indices along one axis.</summary>
    public static float[] Slice(float[] data, long[] dims, int axis, IReadOnlyList<int> keep, out long[] newDims)
    {
        var (outer, size, inner) = AroundAxis(dims, axis);
        var result = new float[outer * keep.Count * inner];
        var at = 0L;
        for (var o = 0L; o < outer; o++)
        {
            foreach (var k in keep)
            {
                Array.Copy(data, ((o * size) + k) * inner, result, at, inner);
                at += inner;
            }
        }

        newDims = (long[])dims.Clone();
        newDims[axis] = keep.Count;
        return result;
    }
}
