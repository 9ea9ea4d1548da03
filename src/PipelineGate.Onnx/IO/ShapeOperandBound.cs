using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// PG2062: a 1-D tensor that gives another value its rank or one size per axis (the <c>shape</c> of Reshape and
/// Expand, the input of ConstantOfShape, Resize's <c>sizes</c>, AffineGrid's <c>size</c>, Col2Im's shapes) declared with a
/// fixed length above <see cref="MaxRank"/>. ONNX shape inference, which ONNX Runtime runs while it creates a session,
/// walks that declared length element by element (one output dimension each) before it looks at any data: <c>int64[9223372036854775807]</c> makes session creation allocate without end (the fuzz hangs,
/// inputs 6447 and 7818 of seed 4), and even a length of 10^6 costs about half a second (ORT 1.31.1, measured). Refused while the
/// model is read, before ORT is given it.
/// </summary>
public static class ShapeOperandBound
{
    /// <summary>
    /// Longest declared shape operand accepted: the rank it gives. A tensor of a higher rank has more than 2^1024
    /// elements unless nearly all its dims are 1 or 0; real models stay far below (numpy allows 64).
    /// </summary>
    public const long MaxRank = 1024;

    // Operator -> the inputs whose declared length ONNX shape inference walks element by element (the output's rank,
    // or one size per axis). Each was seen not to finish ORT 1.31.1's session creation at a declared length of 2^40
    // (Reshape, Expand, ConstantOfShape, Resize 'sizes', AffineGrid, Col2Im), or is the same kind of operand of the
    // same op (Resize 'roi'/'scales', Upsample 'scales'). A list, not a proof: an op outside it with the same kind of
    // inference would still reach ORT.
    private static readonly Dictionary<string, int[]> RankOperands = new(StringComparer.Ordinal)
    {
        ["Reshape"] = [1],
        ["Expand"] = [1],
        ["ConstantOfShape"] = [0],
        ["Resize"] = [1, 2, 3],
        ["Upsample"] = [1],
        ["AffineGrid"] = [1],
        ["Col2Im"] = [1, 2],
    };

    /// <summary>Throws PG2062 when a shape operand of any graph of <paramref name="model"/> is declared longer than <see cref="MaxRank"/>.</summary>
    public static void Check(ModelProto model, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graphs = ModelWalker.Graphs(model).ToList();
        // Names are collected over every graph (a subgraph may use an outer graph's value): a name reused with a different
        // declaration elsewhere is, at worst, refused once too often, never let through.
        var operands = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in graphs)
        {
            foreach (var n in g.Node)
            {
                if (OnnxDomains.Normalize(n.Domain) != OnnxDomains.Default || !RankOperands.TryGetValue(n.OpType, out var indexes))
                {
                    continue;
                }

                foreach (var k in indexes.Where(k => k < n.Input.Count && !string.IsNullOrEmpty(n.Input[k])))
                {
                    operands.TryAdd(n.Input[k], $"input {k} of {n.OpType} node {(string.IsNullOrEmpty(n.Name) ? "'" + n.OpType + "'" : "'" + n.Name + "'")}");
                }
            }
        }

        if (operands.Count == 0)
        {
            return;
        }

        foreach (var g in graphs)
        {
            foreach (var v in g.Input.Concat(g.ValueInfo).Concat(g.Output))
            {
                if (!operands.TryGetValue(v.Name, out var use) || v.Type?.TensorType?.Shape is not { Dim.Count: 1 } shape)
                {
                    continue;
                }

                var d = shape.Dim[0];
                if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > MaxRank)
                {
                    throw new PipelineGateException(PgCode.ShapeOperandTooLong,
                        string.Create(CultureInfo.InvariantCulture,
                            $"'{v.Name}' ({use}) is declared with {d.DimValue} elements, so the node's output would have rank {d.DimValue}; at most {MaxRank} is accepted. ONNX Runtime's shape inference adds one dimension per declared element while it loads the model, so PipelineGate refuses it before ONNX Runtime is given it."),
                        displayPath,
                        hint: "Declare the shape tensor with its real length (the output's rank), or leave the length symbolic; a length this large means the model's declaration is wrong or the file is hostile.");
                }
            }
        }
    }
}
