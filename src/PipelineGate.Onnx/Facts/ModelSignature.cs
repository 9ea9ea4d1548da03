using System.Security.Cryptography;
using System.Text;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.Facts;

/// <summary>
/// A model's API: its graph inputs (initializers excluded) and outputs, each with element type and dims
/// (numbers, symbolic names, or "?"), in graph order. <see cref="Hash"/> identifies it exactly: the first
/// 12 hex digits of the SHA-256 of <see cref="Text"/>, which is what an <c>accept-signature-change</c>
/// entry names. Stored in results.json per model, so a stored baseline carries it.
/// </summary>
public sealed record ModelSignature(IReadOnlyList<ValueFact> Inputs, IReadOnlyList<ValueFact> Outputs)
{
    /// <summary>One line per value: "input x: float32 [N,3,48,W]", inputs first; the hash is taken over this.</summary>
    public string Text => string.Join("\n", Inputs.Select(static v => "input " + Describe(v)).Concat(Outputs.Select(static v => "output " + Describe(v))));

    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)))[..12];

    public static ModelSignature Of(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelSignature(
            ModelInspector.RealInputs(model.Graph).Select(ModelInspector.Describe).ToArray(),
            model.Graph.Output.Select(ModelInspector.Describe).ToArray());
    }

    /// <summary>"float32 [N,3,48,W]" (a non-tensor value is its kind only, e.g. "SequenceType").</summary>
    public static string TypeText(ValueFact v) => v.Shape.Count == 0 && !IsTensorType(v.ElementType) ? v.ElementType : $"{v.ElementType} [{string.Join(",", v.Shape)}]";

    private static string Describe(ValueFact v) => $"{v.Name}: {TypeText(v)}";

    // Tensor element type names are lower-case (float32, int64, bool); value kinds are PascalCase (SequenceType).
    private static bool IsTensorType(string name) => name.Length > 0 && char.IsLower(name[0]);
}
