using System.Globalization;
using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// 4-bit weight-only quantization ("mode: int4"): every MatMul whose weight is a constant 2-D float
/// tensor [K, N] becomes one com.microsoft MatMulNBits (bits 4, block size from the recipe) with the
/// weight quantized per block along K by <see cref="Int4BlockQuantization"/> (asymmetric, with zero
/// points). Activations stay float; ORT's CPU kernel dequantizes blocks on the fly.
/// Small layers are skipped: K below the block size (a single, mostly padded block), and N below
/// <see cref="MinimumN"/> (classifier heads: a few hundred bytes saved where errors are most visible).
/// MatMuls between two activations (attention scores) and MatMuls inside If/Loop bodies stay float.
/// </summary>
public static class Int4WeightOnly
{
    public const string OpType = "MatMulNBits";

    public const int MinimumN = 16;

    /// <summary>
    /// MatMulNBits' accuracy_level: 0 leaves A in float32 inside the kernel; 4 lets the kernel quantize A
    /// to int8 per block (faster with VNNI, slightly less accurate). See Int4WeightOnlyTests for the choice.
    /// </summary>
    public const int DefaultAccuracyLevel = 0;

    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options) => Apply(input, options, DefaultAccuracyLevel);

    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options, int accuracyLevel)
    {
        QuantizationGuards.ThrowIfQuantized(input);
        var blockSize = options.BlockSize;
        var file = input.Clone();
        var graph = file.Model.Graph;
        var constants = GraphConstants.Collect(graph);
        var names = GraphConstants.AllNames(graph);
        var skipped = new List<string>();
        var quantized = 0;
        long bytesBefore = 0, bytesAfter = 0;

        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "MatMul" || !OnnxDomains.Same(node.Domain, OnnxDomains.Default))
            {
                continue;
            }

            var label = string.IsNullOrEmpty(node.Name) ? $"#{i} (MatMul)" : node.Name;
            if (options.ExcludeOps.Contains(node.OpType) || options.ExcludeNodes.Contains(node.Name))
            {
                skipped.Add($"{label}: excluded by the recipe");
                continue;
            }

            var reason = Check(node, constants, blockSize, out var weight);
            if (reason is not null)
            {
                skipped.Add($"{label}: {reason}");
                continue;
            }

            var k = (int)weight!.Dims[0];
            var n = (int)weight.Dims[1];
            var data = TensorProtoConverter.ToTensorData(weight, file, $"'{node.Input[1]}'").AsSpan<float>();
            var q = Int4BlockQuantization.Quantize(data, k, n, blockSize);
            var stem = string.IsNullOrEmpty(node.Name) ? $"node{i}" : node.Name;
            var bName = GraphConstants.UniqueName(names, stem + "_W_q4");
            var scaleName = GraphConstants.UniqueName(names, stem + "_W_scales");
            var zeroName = GraphConstants.UniqueName(names, stem + "_W_zero_points");
            graph.Initializer.Add(DynamicQuantizer.Tensor(bName, TensorElementType.UInt8, [n, q.Blocks, blockSize / 2], q.Packed));
            graph.Initializer.Add(DynamicQuantizer.Tensor(scaleName, TensorElementType.Float, [n, q.Blocks], MemoryMarshal.AsBytes(q.Scales.AsSpan()).ToArray()));
            graph.Initializer.Add(DynamicQuantizer.Tensor(zeroName, TensorElementType.UInt8, [n, q.ZeroPointBytesPerColumn], q.ZeroPoints));

            var replacement = new NodeProto { OpType = OpType, Domain = OnnxDomains.Microsoft, Name = GraphConstants.UniqueName(names, stem + "_q4") };
            replacement.Input.Add([node.Input[0], bName, scaleName, zeroName]);
            replacement.Output.Add(node.Output[0]);
            replacement.Attribute.Add([Int("K", k), Int("N", n), Int("bits", 4), Int("block_size", blockSize), Int("accuracy_level", accuracyLevel)]);
            graph.Node[i] = replacement;
            quantized++;
            bytesBefore += (long)k * n * 4;
            bytesAfter += q.Packed.Length + (q.Scales.Length * 4L) + q.ZeroPoints.Length;
        }

        if (quantized == 0)
        {
            throw new PipelineGateException(PgCode.RecipeNotApplicable,
                $"int4 quantization found no MatMul with a constant 2-D float weight large enough to quantize{(skipped.Count > 0 ? $" ({string.Join("; ", skipped.Take(5))})" : "")}; the variant would equal the original.",
                input.DisplayPath, hint: "int4 applies to MatMul weights (transformers, MLPs); for convolutional models use mode: static or fp16.");
        }

        GraphConstants.RemoveUnused(graph);
        QuantizationGuards.EnsureOpset(file.Model, OnnxDomains.Microsoft, 1);
        QuantizationMetadata.Stamp(file.Model, "int4", options, quantized);
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{quantized} MatMul node(s) → MatMulNBits, 4-bit asymmetric weights per block of {blockSize} along K (float scale + 4-bit zero point per block), accuracy_level {accuracyLevel}; weights {bytesBefore:N0} → {bytesAfter:N0} bytes."),
        };
        if (skipped.Count > 0)
        {
            notes.Add($"{skipped.Count} MatMul(s) kept in float: " + string.Join("; ", skipped.Take(20)) + (skipped.Count > 20 ? "; …" : ""));
        }

        var inBodies = ModelWalker.SubgraphsOf(graph.Node).SelectMany(ModelWalker.GraphAndSubgraphs).SelectMany(static g => g.Node).Count(static n => n.OpType == "MatMul");
        if (inBodies > 0)
        {
            notes.Add($"{inBodies} MatMul node(s) inside If/Loop/Scan bodies were left in float.");
        }

        return new OptimizationOutput(file, notes);
    }

    private static string? Check(NodeProto node, Dictionary<string, TensorProto> constants, int blockSize, out TensorProto? weight)
    {
        weight = null;
        if (node.Input.Count < 2 || !constants.TryGetValue(node.Input[1], out var w))
        {
            return "its weight is not a constant (an activation × activation product such as attention)";
        }

        if (w.DataType != (int)TensorElementType.Float || w.Dims.Count != 2)
        {
            return $"its weight is {TensorElementTypeInfo.Name((TensorElementType)w.DataType)} of rank {w.Dims.Count}, not 2-D float32";
        }

        if (w.Dims[0] < blockSize)
        {
            return string.Create(CultureInfo.InvariantCulture, $"K = {w.Dims[0]} is below the block size {blockSize}");
        }

        if (w.Dims[1] < MinimumN)
        {
            return string.Create(CultureInfo.InvariantCulture, $"N = {w.Dims[1]} outputs is below {MinimumN} (too small to gain, most sensitive to error)");
        }

        weight = w;
        return null;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
}
