using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// float16 conversion ("mode: fp16"): float32 initializers and Constant-node tensors become float16,
/// and so does the compute of every node that is not on <see cref="Fp16BlockList"/> or excluded by the
/// recipe. Graph inputs and outputs stay float32 (Casts at the boundary), so callers feed and read the
/// same types as before. If/Loop/Scan bodies stay float32 as a whole; outer values they read are cast
/// back to float32 for them. value_info entries are updated to the new types.
/// <para>
/// On x86 CPUs, ONNX Runtime's CPU provider has float16 kernels for few ops and inserts Casts to float32
/// around the others itself: the gain there is model size (weights halve), not speed.
/// </para>
/// </summary>
public static class Fp16Converter
{
    /// <summary>Cast's "to" attribute is an int from opset 6 on (a string before).</summary>
    private const long MinimumOpset = 6;

    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options)
    {
        QuantizationGuards.ThrowIfQuantized(input);
        var opset = input.OpsetVersion() ?? 0;
        if (opset < MinimumOpset)
        {
            throw new PipelineGateException(PgCode.RecipeNotApplicable,
                $"float16 conversion needs default-domain opset {MinimumOpset} or later (the model imports {opset}); Cast took its type as a string before.",
                input.DisplayPath, hint: "Re-export the model with a newer opset.");
        }

        var file = input.Clone();
        var graph = file.Model.Graph;
        var constants = GraphConstants.Collect(graph);
        var outOfRange = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool ReadsOutOfRange(NodeProto n) => n.Input.Any(i =>
            constants.TryGetValue(i, out var t) && Fp16Tensors.IsFloat(t)
            && (outOfRange.TryGetValue(i, out var known) ? known : outOfRange[i] = !Fp16Tensors.InRange(t, file)));
        string? Keep(NodeProto n) =>
            options.ExcludeNodes.Contains(n.Name) ? "excluded by the recipe (node)"
            : options.ExcludeOps.Contains(n.OpType) ? "excluded by the recipe (op)"
            : Fp16BlockList.Reason(n)
            ?? (ReadsOutOfRange(n) ? "reads a constant beyond float16's range (±65504), e.g. a running variance" : null);
        var rewriter = new Fp16GraphRewriter(file, graph, Keep);
        rewriter.Run();
        var tensors = rewriter.Tensors;
        if (tensors.Tensors == 0)
        {
            throw new PipelineGateException(PgCode.RecipeNotApplicable,
                "float16 conversion found no float32 weight (initializer or Constant) used by a node that can compute in float16; the variant would not be smaller than the original.",
                input.DisplayPath, hint: "Remove the quantize step, or check exclude-op/exclude-node.");
        }

        QuantizationMetadata.Stamp(file.Model, "fp16", options, rewriter.HalfNodes);
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{tensors.Tensors} float32 tensor(s) converted to float16 ({tensors.BytesBefore:N0} → {tensors.BytesAfter:N0} bytes); {rewriter.HalfNodes} node(s) compute in float16; {rewriter.Casts} Cast(s) inserted; graph inputs and outputs stay float32."),
        };
        if (rewriter.StoredOnly > 0)
        {
            notes.Add($"{rewriter.StoredOnly} weight(s) read only by float32 nodes are stored as float16 and cast back to float32 (ONNX Runtime folds these Casts when it loads the model).");
        }

        if (rewriter.Kept.Count > 0)
        {
            notes.Add("Kept in float32: " + string.Join("; ", rewriter.Kept.Select(static k => string.Create(CultureInfo.InvariantCulture, $"{k.Key.Op} ×{k.Value} ({k.Key.Reason})"))) + ".");
        }

        if (tensors.Clamped > 0 || tensors.RaisedFromZero > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{tensors.Clamped} weight value(s) beyond ±65504 clamped to float16's largest value, {tensors.RaisedFromZero} tiny non-zero value(s) kept at float16's smallest subnormal instead of 0."));
        }

        var functionNodes = file.Model.Functions.Sum(static f => f.Node.Count);
        if (functionNodes > 0)
        {
            notes.Add($"{file.Model.Functions.Count} model-local function(s) ({functionNodes} nodes) were left in float32.");
        }

        notes.Add("ONNX Runtime's CPU provider computes most float16 ops through float32 on x86 (it inserts its own Casts): expect a size gain, not a speed-up, on CPU.");
        return new OptimizationOutput(file, notes);
    }
}
