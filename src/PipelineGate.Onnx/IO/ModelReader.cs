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

        var model = Parse(buffered, stream.CanSeek, displayPath);

        if (model.Graph is null || model.IrVersion <= 0)
        {
            throw Corrupt(displayPath, model.Graph is null
                ? "it parses as protobuf but holds no graph"
                : "it parses as protobuf but has no ir_version");
        }

        ShapeOperandBound.Check(model, displayPath);
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

    // Parsed with ONNX Runtime's own nesting limit, so that a model nested deeper than ORT loads is refused
    // here, coded, before any PipelineGate code walks its subgraphs. On a refusal a seekable file is parsed
    // once more with a far higher limit, only to tell "too deep" (and how deep) from "corrupt".
    private static ModelProto Parse(Stream stream, bool canRewind, string displayPath)
    {
        var start = canRewind ? stream.Position : 0;
        try
        {
            // Not disposed: disposing a CodedInputStream closes the stream, which the caller owns (and may rewind below).
            return ModelProto.Parser.ParseFrom(CodedInputStream.CreateWithLimits(stream, int.MaxValue, ModelFile.MaxNestingDepth));
        }
        catch (InvalidProtocolBufferException ex) when (IsNestingLimit(ex))
        {
            int? depth = null;
            if (canRewind)
            {
                stream.Position = start;
                try
                {
                    depth = MessageDepth.Of(ModelProto.Parser.ParseFrom(CodedInputStream.CreateWithLimits(stream, int.MaxValue, ModelFile.DiagnosisNestingDepth)));
                }
                catch (InvalidProtocolBufferException again) when (!IsNestingLimit(again))
                {
                    throw Corrupt(displayPath, $"it is not a readable ONNX protobuf ({again.Message.TrimEnd('.')})");
                }
                catch (InvalidProtocolBufferException)
                {
                    // Deeper than the diagnosis limit too: reported as "more than" that.
                }
            }

            throw TooDeep(displayPath, depth, canRewind ? ModelFile.DiagnosisNestingDepth : ModelFile.MaxNestingDepth);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Corrupt(displayPath, $"it is not a readable ONNX protobuf ({ex.Message.TrimEnd('.')})");
        }
    }

    // Google.Protobuf has no distinct exception type for this; its message is fixed ("...too many levels of nesting...").
    private static bool IsNestingLimit(InvalidProtocolBufferException ex) =>
        ex.Message.Contains("levels of nesting", StringComparison.Ordinal);

    private static PipelineGateException TooDeep(string displayPath, int? depth, int looked) =>
        new(PgCode.ModelNestingTooDeep,
            $"The model nests protobuf messages {(depth is { } d ? $"{d} levels deep" : $"more than {looked} levels deep")} (subgraphs of If/Loop/Scan inside each other, or nested types); ONNX Runtime loads at most {ModelFile.MaxNestingDepth} levels, so PipelineGate refuses it before reading its graph.",
            displayPath,
            hint: "Flatten the nested control flow (inline constant If branches, e.g. with onnx-simplifier), or split the model; a file nested this deep may also be hostile.");

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
