using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Embedding tables: Gather(table, ids) over a constant 2-D float table becomes Gather(table8, ids) followed by
/// DequantizeLinear, so the table is stored in 8 bits and only the looked-up rows are restored to float. The
/// scales are per hidden column (the last axis of every gathered row, DequantizeLinear axis −1, opset 13) or
/// one per table (per-channel off, or a model below opset 13, whose other ops must not change semantics by an
/// opset bump). The lookup itself is exact; the only error is the table's own rounding, at most half a step.
/// </summary>
public static partial class DynamicQuantizer
{
    /// <summary>Smaller tables (a two-row token-type table is 768 values in BERT-base) are kept: nothing to gain.</summary>
    internal const int MinEmbeddingValues = 1024;

    private sealed partial class Run
    {
        public int Gathers { get; private set; }

        public long GatherBytesBefore { get; private set; }

        public long GatherBytesAfter { get; private set; }

        public string GatherLayout { get; private set; } = "";

        /// <returns>The index of the last node the replacement occupies.</returns>
        private int Gather(GraphProto graph, int i, string label, Dictionary<string, TensorProto> constants)
        {
            var node = graph.Node[i];
            if (node.Input.Count < 2 || !constants.TryGetValue(node.Input[0], out var table) || table.DataType != (int)TensorElementType.Float || table.Dims.Count != 2)
            {
                return i; // A Gather over an activation or a shape is not an embedding lookup; nothing to note.
            }

            if (NodeAttributes.Int(node, "axis", 0) != 0)
            {
                Skipped.Add($"{label}: Gather on axis {NodeAttributes.Int(node, "axis", 0)}, not a row lookup");
                return i;
            }

            var rows = (int)table.Dims[0];
            var columns = (int)table.Dims[1];
            if ((long)rows * columns < MinEmbeddingValues)
            {
                return i;
            }

            var opset = _file.Model.OpsetImport.FirstOrDefault(static o => OnnxDomains.Same(o.Domain, ""))?.Version ?? 0;
            if (opset < 10)
            {
                Skipped.Add($"{label}: DequantizeLinear needs opset 10, the model has {opset}");
                return i;
            }

            var perColumn = _options.PerChannel && opset >= 13;
            var values = TensorProtoConverter.ToTensorData(table, _file, $"'{table.Name}'").AsSpan<float>().ToArray();
            var stem = string.IsNullOrEmpty(node.Name) ? $"node{i}" : node.Name;
            var (tableName, scaleName, zeroName, scaleCount) = Weight2D(graph, stem + "_table", values, rows, columns, perColumn);

            var lookedUp = GraphConstants.UniqueName(_names, stem + "_quantized_rows");
            var gather = new NodeProto { OpType = "Gather", Name = GraphConstants.UniqueName(_names, stem + "_quant") };
            gather.Input.Add([tableName, node.Input[1]]);
            gather.Output.Add(lookedUp);
            var dequantize = new NodeProto { OpType = "DequantizeLinear", Name = GraphConstants.UniqueName(_names, stem + "_dequantize") };
            dequantize.Input.Add([lookedUp, scaleName, zeroName]);
            dequantize.Output.Add(node.Output[0]);
            if (perColumn)
            {
                dequantize.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
            }

            graph.Node[i] = gather;
            graph.Node.Insert(i + 1, dequantize);
            Gathers++;
            GatherBytesBefore += (long)rows * columns * 4;
            GatherBytesAfter += ((long)rows * columns) + (scaleCount * 5L);
            var layout = $"{(perColumn ? "per hidden column" : "per table")} {(_options.WeightType == "uint8" ? "asymmetric uint8" : "symmetric int8")}";
            GatherLayout = GatherLayout.Length == 0 || GatherLayout == layout ? layout : "mixed layouts";
            return i + 1;
        }
    }
}
