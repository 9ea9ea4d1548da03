using System.Text;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Reads ONNX files and tells apart the ways a committed "model" is not one: missing, empty, a Git
/// LFS pointer, not protobuf, or protobuf without a graph. External data references are checked here
/// (they must exist, stay inside the model's folder and be long enough) but not loaded.
/// </summary>
internal static class ModelReader
{
    private const string LfsPointerPrefix = "version https://git-lfs.github.com/spec/";
    private const int StreamBufferSize = 1 << 20;

    public static ModelFile Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new PipelineGateException(PgCode.ModelNotFound, $"'{path}' is a folder; expected an .onnx file.", path,
                hint: "Name the model file itself.");
        }

        if (!File.Exists(full))
        {
            throw new PipelineGateException(PgCode.ModelNotFound, $"Model file '{path}' does not exist.", path,
                hint: "Check the path (it is relative to the current folder, or to the config file when it comes from pipelinegate.yml).");
        }

        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, StreamBufferSize, FileOptions.SequentialScan);
            return Read(stream, path, Path.GetDirectoryName(full), stream.Length);
        }
        catch (IOException ex)
        {
            throw new PipelineGateException(PgCode.ModelNotFound, $"Model file '{path}' could not be read: {ex.Message}", path, inner: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PipelineGateException(PgCode.ModelNotFound, $"Model file '{path}' could not be read: {ex.Message}", path,
                hint: "Check the file's permissions.", inner: ex);
        }
    }

    public static ModelFile Read(Stream stream, string displayPath, string? baseDirectory, long length)
    {
        if (length == 0)
        {
            throw new PipelineGateException(PgCode.ModelEmpty, "The model file is empty (0 bytes).", displayPath,
                hint: "The file was probably truncated when it was committed or downloaded; restore it from its source.");
        }

        var buffered = stream.CanSeek ? stream : new BufferedStream(stream, StreamBufferSize);
        if (stream.CanSeek)
        {
            CheckNotLfsPointer(stream, displayPath);
        }

        ModelProto model;
        try
        {
            using var coded = CodedInputStream.CreateWithLimits(buffered, int.MaxValue, ModelFile.RecursionLimit);
            model = ModelProto.Parser.ParseFrom(coded);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Corrupt(displayPath, $"it is not a readable ONNX protobuf ({ex.Message.TrimEnd('.')})");
        }

        if (model.Graph is null || model.IrVersion <= 0)
        {
            throw Corrupt(displayPath, model.Graph is null
                ? "it parses as protobuf but holds no graph"
                : "it parses as protobuf but has no ir_version");
        }

        var file = new ModelFile(model, displayPath, baseDirectory, length >= 0 ? length : model.CalculateSize());
        foreach (var (tensor, where) in ModelWalker.Tensors(model))
        {
            if (ExternalDataInfo.IsExternal(tensor))
            {
                ExternalDataResolver.Resolve(file, tensor, where);
            }
        }

        return file;
    }

    /// <summary>True when the stream starts like a Git LFS pointer file; the position is reset to 0.</summary>
    internal static bool IsLfsPointer(Stream stream)
    {
        var head = new byte[LfsPointerPrefix.Length];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == head.Length && Encoding.ASCII.GetString(head) == LfsPointerPrefix;
    }

    private static void CheckNotLfsPointer(Stream stream, string displayPath)
    {
        if (IsLfsPointer(stream))
        {
            throw new PipelineGateException(PgCode.ModelIsGitLfsPointer,
                "This is a Git LFS pointer file, not the model: the model's content was never downloaded.",
                displayPath,
                hint: "Run 'git lfs pull' (in CI: enable LFS in the checkout step, e.g. actions/checkout with 'lfs: true').");
        }
    }

    private static PipelineGateException Corrupt(string displayPath, string why) =>
        new(PgCode.ModelCorrupt, $"The file is not a valid ONNX model: {why}. Expected an ONNX ModelProto.", displayPath,
            hint: "The file may be truncated or not a model at all; re-export it, or restore it from its source.");
}
