using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Saves a model to a new file, atomically. External data of the source model is carried along
/// (copied into the new data file, or inlined), so the saved model stands on its own. The source
/// <see cref="ModelFile"/> is not modified.
/// </summary>
public static class ModelWriter
{
    /// <summary>Protobuf cannot serialize a message of 2 GiB or more.</summary>
    private const long ProtobufLimit = int.MaxValue;

    public static void Save(ModelFile source, string path, ModelSaveOptions? options = null)
    {
        options ??= ModelSaveOptions.Default;
        var fullPath = Path.GetFullPath(path);
        var model = source.Model.Clone();
        var dataFileName = options.ExternalDataFileName ?? Path.GetFileName(fullPath) + ".data";
        var dataPath = Path.Combine(Path.GetDirectoryName(fullPath)!, dataFileName);

        var pending = new List<(TensorProto Tensor, byte[] Bytes)>();
        foreach (var (tensor, where) in ModelWalker.Tensors(model))
        {
            var isExternal = ExternalDataInfo.IsExternal(tensor);
            long? size = isExternal ? (ExternalDataInfo.TryParse(tensor, out _)?.Length ?? TensorByteLength(tensor)) : TensorProtoConverter.StoredByteLength(tensor);
            var moveOut = options.ExternalDataThreshold is { } threshold && size is { } s && s >= threshold && tensor.DataType != (int)Tensors.TensorElementType.String;
            if (!isExternal && !moveOut)
            {
                continue;
            }

            var bytes = isExternal || !tensor.HasRawData
                ? TensorProtoConverter.ToTensorData(tensor, source, where).Bytes
                : tensor.RawData.ToByteArray();
            if (moveOut)
            {
                ClearTypedFields(tensor);
                pending.Add((tensor, bytes));
            }
            else
            {
                tensor.ClearDataLocation();
                tensor.ExternalData.Clear();
                tensor.RawData = ByteString.CopyFrom(bytes);
            }
        }

        if (pending.Count > 0)
        {
            AtomicFile.Write(dataPath, stream =>
            {
                long offset = 0;
                foreach (var (tensor, bytes) in pending)
                {
                    var aligned = (offset + options.Alignment - 1) / options.Alignment * options.Alignment;
                    stream.Write(new byte[aligned - offset]);
                    stream.Write(bytes);
                    new ExternalDataInfo(dataFileName, aligned, bytes.LongLength, null).ApplyTo(tensor);
                    offset = aligned + bytes.LongLength;
                }
            });
        }

        var total = EstimateSize(model);
        if (total >= ProtobufLimit)
        {
            throw new PipelineGateException(PgCode.ModelTooLargeForSingleFile,
                $"The model is {total:N0} bytes, over protobuf's 2 GiB limit for one file.",
                path, hint: "Save it with external data (a threshold such as 1 MiB moves large weights into a .data file beside the model).");
        }

        AtomicFile.Write(fullPath, stream =>
        {
            using var coded = new CodedOutputStream(stream, leaveOpen: true);
            model.WriteTo(coded);
            coded.Flush();
        });
    }

    private static void ClearTypedFields(TensorProto t)
    {
        t.FloatData.Clear();
        t.Int32Data.Clear();
        t.Int64Data.Clear();
        t.DoubleData.Clear();
        t.Uint64Data.Clear();
    }

    private static long? TensorByteLength(TensorProto t) =>
        Tensors.TensorElementTypeInfo.ByteCount((Tensors.TensorElementType)t.DataType, t.Dims.Aggregate(1L, static (a, d) => a * d));

    /// <summary>Size without calling CalculateSize, which overflows an int past 2 GiB.</summary>
    private static long EstimateSize(ModelProto model)
    {
        long raw = 0;
        foreach (var (tensor, _) in ModelWalker.Tensors(model))
        {
            if (tensor.HasRawData)
            {
                raw += tensor.RawData.Length;
            }
        }

        return raw >= ProtobufLimit ? raw : model.CalculateSize();
    }
}
