using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Facts;

/// <summary>Computes <see cref="ModelFacts"/> from a loaded model.</summary>
public static class ModelInspector
{
    /// <param name="file">The model.</param>
    /// <param name="countNonzero">Also count nonzero parameters (reads every weight, including external data).</param>
    /// <param name="fixedDims">Values for symbolic input dimensions used by the compute estimate (others are 1).</param>
    public static ModelFacts Inspect(ModelFile file, bool countNonzero = true, IReadOnlyDictionary<string, long>? fixedDims = null)
    {
        var model = file.Model;
        long externalBytes = 0;
        var externalFiles = new HashSet<string>(StringComparer.Ordinal);
        long parameters = 0;
        long nonzero = 0;
        var byType = new SortedDictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (var (t, where) in ModelWalker.Tensors(model))
        {
            var type = (TensorElementType)t.DataType;
            var count = DeclaredCount(t, file, where);
            var bytes = type == TensorElementType.String
                ? t.StringData.Sum(static s => (long)s.Length)
                : TensorElementTypeInfo.ByteCount(type, count);
            var name = TensorElementTypeInfo.Name(type);
            var prev = byType.GetValueOrDefault(name);
            try
            {
                parameters = checked(parameters + count);
                byType[name] = (checked(prev.Count + count), checked(prev.Bytes + bytes));
                _ = checked(byType.Values.Sum(static v => v.Bytes));
            }
            catch (OverflowException)
            {
                throw new PipelineGateException(PgCode.TensorDataLengthMismatch, $"The tensors up to {where} declare more elements than 64 bits can count.", file.DisplayPath,
                    hint: "The file is corrupt or hostile: re-export the model.");
            }
            if (ExternalDataInfo.IsExternal(t))
            {
                var (path, info) = ExternalDataResolver.Resolve(file, t, where);
                if (externalFiles.Add(path))
                {
                    externalBytes += new FileInfo(path).Length;
                }
            }

            if (countNonzero)
            {
                nonzero += CountNonzero(t, type, count, file, where);
            }
        }

        var ops = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodeCount = 0;
        foreach (var g in ModelWalker.Graphs(model))
        {
            foreach (var n in g.Node)
            {
                nodeCount++;
                var key = OnnxDomains.Normalize(n.Domain) == OnnxDomains.Default ? n.OpType : $"{n.Domain}:{n.OpType}";
                ops[key] = ops.GetValueOrDefault(key) + 1;
            }
        }

        return new ModelFacts
        {
            Path = file.DisplayPath,
            FileBytes = file.FileBytes,
            ExternalDataBytes = externalBytes,
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Opsets = model.OpsetImport.Select(static o => new OpsetFact(OnnxDomains.Normalize(o.Domain) == "" ? "ai.onnx" : o.Domain, o.Version)).ToArray(),
            Inputs = RealInputs(model.Graph).Select(Describe).ToArray(),
            Outputs = model.Graph.Output.Select(Describe).ToArray(),
            ParameterCount = parameters,
            NonzeroParameterCount = countNonzero ? nonzero : null,
            ParameterBytes = byType.Values.Sum(static v => v.Bytes),
            ParametersByType = byType.Select(static kv => new DtypeFact(kv.Key, kv.Value.Count, kv.Value.Bytes)).ToArray(),
            NodeCount = nodeCount,
            Operators = ops.OrderByDescending(static kv => kv.Value).ThenBy(static kv => kv.Key, StringComparer.Ordinal)
                .Select(static kv => new OpCountFact(kv.Key, kv.Value)).ToArray(),
            Compute = ComputeEstimator.Estimate(model.Graph, fixedDims),
            Metadata = model.MetadataProps.GroupBy(static p => p.Key).ToDictionary(static g => g.Key, static g => g.Last().Value, StringComparer.Ordinal),
        };
    }

    /// <summary>Graph inputs that are not initializers (IR ≥ 4 lets initializers be listed as overridable inputs).</summary>
    /// <summary>The element count the dims declare (negative dims count as 0); found by the fuzz harness: dims whose product overflows are a coded error.</summary>
    private static long DeclaredCount(TensorProto t, ModelFile file, string where)
    {
        try
        {
            var count = t.Dims.Aggregate(1L, static (p, d) => checked(p * Math.Max(d, 0)));
            _ = checked(count * Math.Max(1, TensorElementTypeInfo.SizeOf((TensorElementType)t.DataType)));
            return count;
        }
        catch (OverflowException)
        {
            throw new PipelineGateException(PgCode.TensorDataLengthMismatch, $"Tensor {where} declares dims [{string.Join(",", t.Dims)}] whose element count overflows 64 bits.", file.DisplayPath,
                hint: "The file is corrupt or hostile: re-export the model.");
        }
    }

    public static IEnumerable<ValueInfoProto> RealInputs(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(static t => t.Name).ToHashSet(StringComparer.Ordinal);
        return graph.Input.Where(i => !initializers.Contains(i.Name));
    }

    public static ValueFact Describe(ValueInfoProto v)
    {
        var type = v.Type;
        if (type?.TensorType is { } tensor)
        {
            var dims = tensor.Shape is null ? (IReadOnlyList<string>)["?"] : tensor.Shape.Dim.Select(ShapeText.Dim).ToArray();
            return new ValueFact(v.Name, TensorElementTypeInfo.Name((TensorElementType)tensor.ElemType), dims);
        }

        var kind = type?.ValueCase.ToString() ?? "unknown";
        return new ValueFact(v.Name, kind, []);
    }

    private static long CountNonzero(TensorProto t, TensorElementType type, long count, ModelFile file, string where)
    {
        if (type == TensorElementType.String || count == 0)
        {
            return type == TensorElementType.String ? t.StringData.Count(static s => s.Length > 0) : 0;
        }

        var size = TensorElementTypeInfo.SizeOf(type);
        if (size == 0)
        {
            return count;
        }

        byte[] bytes;
        try
        {
            bytes = TensorProtoConverter.ToTensorData(t, file, where).Bytes;
        }
        catch (Diagnostics.PipelineGateException)
        {
            return count;
        }

        // An element is zero when all its bytes are zero; -0.0 counts as nonzero, which is harmless here.
        return size switch
        {
            1 => count - bytes.AsSpan().Count((byte)0),
            2 => count - MemoryMarshal.Cast<byte, ushort>(bytes).Count((ushort)0),
            4 => count - MemoryMarshal.Cast<byte, uint>(bytes).Count(0u),
            8 => count - MemoryMarshal.Cast<byte, ulong>(bytes).Count(0ul),
            _ => CountNonzeroWide(bytes, size),
        };
    }

    private static long CountNonzeroWide(byte[] bytes, int size)
    {
        long n = 0;
        for (var i = 0; i < bytes.Length; i += size)
        {
            if (bytes.AsSpan(i, size).ContainsAnyExcept((byte)0))
            {
                n++;
            }
        }

        return n;
    }
}
