using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// An ONNX model read from disk (or a stream), with where it came from so that external data can be
/// resolved and errors can name the file. The protobuf message is owned by this object; the file on
/// disk is never written by it (see <see cref="ModelWriter"/> for saving a copy).
/// </summary>
public sealed class ModelFile
{
    /// <summary>
    /// Protobuf message nesting accepted (PG2060): ONNX Runtime parses models with protobuf's default recursion
    /// limit of 100, so a model nested deeper never loads there (each If/Loop/Scan subgraph costs 3 levels:
    /// node, attribute, graph). Measured against ORT 1.31.1 by NestingDepthTests.
    /// </summary>
    public const int MaxNestingDepth = 100;

    /// <summary>Limit of the second parse that only measures how deep a refused model is, for the message.</summary>
    internal const int DiagnosisNestingDepth = 1000;

    internal ModelFile(ModelProto model, string displayPath, string? baseDirectory, long fileBytes)
    {
        Model = model;
        DisplayPath = displayPath;
        BaseDirectory = baseDirectory;
        FileBytes = fileBytes;
    }

    public ModelProto Model { get; }

    public GraphProto Graph => Model.Graph ?? new GraphProto();

    /// <summary>The path as the user gave it, used in messages.</summary>
    public string DisplayPath { get; }

    /// <summary>The folder external data locations are relative to; null for a model read from a stream without one.</summary>
    public string? BaseDirectory { get; }

    /// <summary>Size of the .onnx file itself (without external data).</summary>
    public long FileBytes { get; }

    /// <summary>Loads a model from a path. Every failure is a <see cref="PipelineGateException"/> with a PG2xxx code.</summary>
    public static ModelFile Load(string path) => ModelReader.Read(path);

    /// <summary>True when the file is a Git LFS pointer (the model's content was never pulled), without reading the rest.</summary>
    public static bool IsGitLfsPointer(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelReader.IsLfsPointer(stream);
    }

    /// <summary>Loads a model from a stream; <paramref name="baseDirectory"/> resolves external data.</summary>
    public static ModelFile Load(Stream stream, string displayPath, string? baseDirectory) =>
        ModelReader.Read(stream, displayPath, baseDirectory, stream.CanSeek ? stream.Length : -1);

    /// <summary>Loads from bytes in memory.</summary>
    public static ModelFile Load(byte[] bytes, string displayPath, string? baseDirectory = null)
    {
        using var ms = new MemoryStream(bytes, writable: false);
        return Load(ms, displayPath, baseDirectory);
    }

    /// <summary>A deep copy of this model, so that optimization passes never alter the loaded one.</summary>
    public ModelFile Clone() => new(Model.Clone(), DisplayPath, BaseDirectory, FileBytes);

    /// <summary>The serialized bytes of the model as it is in memory (external references kept as references).</summary>
    public byte[] ToByteArray() => Model.ToByteArray();

    /// <summary>Opset version imported for a domain ("" and "ai.onnx" are the same domain), or null.</summary>
    public long? OpsetVersion(string domain = "")
    {
        foreach (var o in Model.OpsetImport)
        {
            if (OnnxDomains.Same(o.Domain, domain))
            {
                return o.Version;
            }
        }

        return null;
    }
}
