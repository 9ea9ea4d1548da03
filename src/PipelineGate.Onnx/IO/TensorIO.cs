using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Reads and writes single tensors by file extension: numpy <c>.npy</c>, or a serialized ONNX
/// <c>TensorProto</c> <c>.pb</c> (the format of the ONNX test data sets, test_data_set_N/input_i.pb).
/// </summary>
public static class TensorIO
{
    public static TensorData Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineGateException(PgCode.DataNotFound, $"Tensor file '{path}' does not exist.", path,
                hint: "Check the path; it is relative to the current folder.");
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".npy" => NpyFile.Read(path),
            ".pb" => ReadProto(path).Data,
            _ => throw new PipelineGateException(PgCode.TensorFileInvalid,
                $"'{path}' is neither a .npy nor a .pb tensor file.", path, hint: "Save the array with numpy.save (.npy), or as an ONNX TensorProto (.pb)."),
        };
    }

    /// <summary>Reads a TensorProto file, returning its name too (test data sets name tensors after model inputs).</summary>
    public static (string Name, TensorData Data) ReadProto(string path)
    {
        TensorProto proto;
        try
        {
            using var stream = File.OpenRead(path);
            proto = TensorProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new PipelineGateException(PgCode.TensorFileInvalid, $"'{path}' is not a serialized ONNX TensorProto ({ex.Message}).", path);
        }

        try
        {
            return (proto.Name, TensorProtoConverter.ToTensorData(proto, null, $"'{proto.Name}' in {Path.GetFileName(path)}"));
        }
        catch (PipelineGateException ex)
        {
            throw new PipelineGateException(ex.Diagnostic with { File = path }, ex);
        }
    }

    public static void Write(string path, TensorData data, string? name = null)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".pb":
                var proto = TensorProtoConverter.FromTensorData(data, name ?? Path.GetFileNameWithoutExtension(path));
                AtomicFile.WriteAllBytes(path, proto.ToByteArray());
                break;
            default:
                NpyFile.Write(path, data);
                break;
        }
    }
}
