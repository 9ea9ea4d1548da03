using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.Facts;

/// <summary>Typed reads of node attributes with defaults.</summary>
public static class NodeAttributes
{
    public static AttributeProto? Find(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long Int(NodeProto node, string name, long fallback) => Find(node, name) is { } a ? a.I : fallback;

    public static float Float(NodeProto node, string name, float fallback) => Find(node, name) is { } a ? a.F : fallback;

    public static string String(NodeProto node, string name, string fallback) => Find(node, name) is { } a ? a.S.ToStringUtf8() : fallback;

    public static long[]? Ints(NodeProto node, string name) => Find(node, name) is { } a ? a.Ints.ToArray() : null;
}
