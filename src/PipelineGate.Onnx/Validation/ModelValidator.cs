using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Validation;

/// <summary>
/// Structural checks that run before anything is handed to ONNX Runtime, so that a broken model gets a
/// coded message naming what is wrong instead of a runtime error from deep inside a session:
/// IR and opset versions, names defined once, every input defined (in topological order, as ONNX Runtime sorts nodes itself; out-of-order lists are a notice, cycles an error),
/// graph outputs produced, initializers agreeing with declared inputs, tensor data matching shapes.
/// </summary>
public static class ModelValidator
{
    /// <summary>Oldest IR version accepted: 3 introduced opset_import, which every check below relies on.</summary>
    public const long MinIrVersion = 3;

    /// <summary>Newest IR version this build understands (ONNX 1.18+ writes 11; ORT 1.30 reads up to this).</summary>
    public const long MaxIrVersion = 12;

    /// <summary>Most elements one tensor may declare (2^40, 4 TiB of float32): far beyond any real model, well before overflow.</summary>
    public const long MaxTensorElements = 1L << 40;

    /// <summary>The product of the dims, or null when it overflows; negative dims count as 0.</summary>
    public static long? ElementCount(IEnumerable<long> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d > 0 && count > long.MaxValue / d)
            {
                return null;
            }

            count *= Math.Max(d, 0);
        }

        return count;
    }

    public static IReadOnlyList<Diagnostic> Validate(ModelFile file)
    {
        var diagnostics = new List<Diagnostic>();
        var model = file.Model;
        void Add(PgCode code, string message, string? hint = null, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
            diagnostics.Add(new Diagnostic(code, severity, message, file.DisplayPath, Hint: hint));

        if (model.IrVersion < MinIrVersion)
        {
            Add(PgCode.UnsupportedIrVersion, $"IR version {model.IrVersion} is older than {MinIrVersion}; ONNX Runtime still loads it, but PipelineGate's checks and rewrites assume IR {MinIrVersion} or later.",
                "Convert the model to a current opset with the ONNX version converter.", DiagnosticSeverity.Warning);
        }
        else if (model.IrVersion > MaxIrVersion)
        {
            Add(PgCode.UnsupportedIrVersion, $"IR version {model.IrVersion} is newer than {MaxIrVersion}, the newest this PipelineGate knows; it may use fields this tool ignores.",
                "Export with an older IR version, or update PipelineGate.", DiagnosticSeverity.Warning);
        }

        var domains = new HashSet<string>();
        foreach (var o in model.OpsetImport)
        {
            if (!domains.Add(OnnxDomains.Normalize(o.Domain)))
            {
                Add(PgCode.OpsetImportInvalid, $"Domain '{o.Domain}' is imported more than once in opset_import; ONNX Runtime uses one of them.",
                    "Keep one entry per domain.", DiagnosticSeverity.Warning);
            }

            if (o.Version <= 0)
            {
                Add(PgCode.OpsetImportInvalid, $"Domain '{o.Domain}' is imported with opset version {o.Version}; expected a positive version.",
                    "Fix the exporter's opset_import.", DiagnosticSeverity.Warning);
            }
        }

        if (!domains.Contains(OnnxDomains.Default) && model.Graph.Node.Any(n => OnnxDomains.Normalize(n.Domain) == OnnxDomains.Default))
        {
            Add(PgCode.OpsetImportInvalid, "The graph uses standard ONNX operators but opset_import does not import the default domain; ONNX Runtime assumes its latest opset, which may not be what the model was exported for.",
                "Re-export the model with the default domain in opset_import.", DiagnosticSeverity.Warning);
        }

        CheckGraph(model.Graph, new HashSet<string>(StringComparer.Ordinal), "main graph", isMain: true, Add);
        CheckTensorLengths(model, Add);
        return diagnostics;
    }

    private static void CheckGraph(GraphProto g, HashSet<string> outer, string scope, bool isMain, Action<PgCode, string, string?, DiagnosticSeverity> add)
    {
        var defined = new HashSet<string>(outer, StringComparer.Ordinal);
        var local = new HashSet<string>(StringComparer.Ordinal);
        void Define(string name, string what)
        {
            if (string.IsNullOrEmpty(name))
            {
                return;
            }

            if (!local.Add(name))
            {
                add(PgCode.DuplicateName, $"In the {scope}, '{name}' ({what}) is defined more than once; every value must have exactly one producer.", null, DiagnosticSeverity.Error);
            }

            defined.Add(name);
        }

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in g.Initializer)
        {
            if (!initializers.TryAdd(t.Name, t))
            {
                add(PgCode.DuplicateName, $"In the {scope}, initializer '{t.Name}' is defined more than once; ONNX Runtime uses the last one.", "Remove the duplicate.", DiagnosticSeverity.Warning);
            }
        }

        foreach (var i in g.Input)
        {
            Define(i.Name, "graph input");
            if (initializers.TryGetValue(i.Name, out var init))
            {
                CheckInitializerAgainstInput(init, i, scope, add);
            }
        }

        foreach (var name in initializers.Keys)
        {
            if (!g.Input.Any(i => i.Name == name))
            {
                Define(name, "initializer");
            }
        }

        foreach (var s in g.SparseInitializer)
        {
            Define(s.Values?.Name ?? string.Empty, "sparse initializer");
        }

        var producedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < g.Node.Count; k++)
        {
            foreach (var o in g.Node[k].Output)
            {
                producedAt.TryAdd(o, k);
            }
        }

        // Walk the nodes in stable topological order, as ONNX Runtime does: a node listed before the node that
        // produces its input is not an error (ORT sorts), only a notice; nodes in a cycle are an error (ORT refuses).
        var sort = NodeOrder.Sort(g);
        var cyclic = sort.Cyclic.ToHashSet();
        if (cyclic.Count > 0)
        {
            add(PgCode.GraphCycle,
                $"In the {scope}, {cyclic.Count} node(s) depend on each other in a cycle ({string.Join(", ", sort.Cyclic.Take(5).Select(k => NodeName(g.Node[k], k)))}{(cyclic.Count > 5 ? ", ..." : "")}); a graph must be acyclic, and ONNX Runtime refuses it.",
                "The model is broken: re-export it.", DiagnosticSeverity.Error);
        }

        var early = 0;
        string? firstEarly = null;
        foreach (var k in sort.Order)
        {
            var n = g.Node[k];
            var nodeName = NodeName(n, k);
            foreach (var needed in NodeOrder.Needs(n))
            {
                if (producedAt.TryGetValue(needed, out var producer) && producer > k && !cyclic.Contains(k))
                {
                    early++;
                    firstEarly ??= $"node {nodeName} ({n.OpType}) uses '{needed}' before node #{producer} produces it";
                }
            }

            foreach (var input in n.Input)
            {
                if (string.IsNullOrEmpty(input))
                {
                    continue;
                }

                if (defined.Contains(input) || (cyclic.Contains(k) && producedAt.ContainsKey(input)))
                {
                    continue;
                }

                add(PgCode.DanglingInput,
                    $"In the {scope}, node {nodeName} ({n.OpType}) uses '{input}', which no graph input, initializer or node defines.",
                    "The model is incomplete: re-export it.", DiagnosticSeverity.Error);
            }

            foreach (var a in n.Attribute)
            {
                var subs = a.G is not null ? new[] { a.G } : a.Graphs.ToArray();
                foreach (var sub in subs)
                {
                    CheckGraph(sub, defined, $"subgraph '{a.Name}' of node {nodeName} in the {scope}", isMain: false, add);
                }
            }

            foreach (var o in n.Output)
            {
                Define(o, $"output of node {nodeName}");
            }
        }

        if (early > 0 && isMain)
        {
            add(PgCode.NotTopologicallySorted,
                $"In the {scope}, the node list is not in topological order: {early} input(s) are used before the node that produces them is listed (first: {firstEarly}). ONNX Runtime sorts the main graph's nodes itself, and PipelineGate sorts them (stably) before reading or rewriting the graph.",
                "Nothing needs to be done; to store the nodes in order, re-export the model or sort it (e.g. onnx.utils or onnxsim).", DiagnosticSeverity.Info);
        }
        else if (early > 0)
        {
            // ORT sorts only the main graph: the type inference of If/Loop/Scan reads a body in list order and refuses it otherwise.
            add(PgCode.NotTopologicallySorted,
                $"In the {scope}, the node list is not in topological order: {early} input(s) are used before the node that produces them is listed (first: {firstEarly}). ONNX Runtime sorts a main graph but not a subgraph, and refuses this model.",
                "Re-export the model, or sort the subgraph's nodes topologically (e.g. onnx.utils or onnxsim).", DiagnosticSeverity.Error);
        }

        foreach (var o in g.Output)
        {
            if (!defined.Contains(o.Name))
            {
                add(PgCode.GraphInvalid, $"In the {scope}, graph output '{o.Name}' is not produced by any node, input or initializer.",
                    "The model is incomplete: re-export it.", DiagnosticSeverity.Error);
            }
        }

        if (isMain && g.Output.Count == 0)
        {
            add(PgCode.GraphInvalid, "The main graph declares no outputs: ONNX Runtime loads it, but running it computes nothing.", "Re-export the model with its outputs declared.", DiagnosticSeverity.Warning);
        }
    }

    private static string NodeName(NodeProto n, int k) => string.IsNullOrEmpty(n.Name) ? $"#{k}" : $"'{n.Name}'";

    private static void CheckInitializerAgainstInput(TensorProto init, ValueInfoProto input, string scope, Action<PgCode, string, string?, DiagnosticSeverity> add)
    {
        var tensorType = input.Type?.TensorType;
        if (tensorType is null)
        {
            return;
        }

        if (tensorType.HasElemType && tensorType.ElemType != init.DataType)
        {
            add(PgCode.InitializerTypeMismatch,
                $"In the {scope}, input '{input.Name}' is declared {TensorElementTypeInfo.Name((TensorElementType)tensorType.ElemType)} but its initializer holds {TensorElementTypeInfo.Name((TensorElementType)init.DataType)}.",
                "Fix the exporter so the declared type and the stored default agree.", DiagnosticSeverity.Error);
        }

        var shape = tensorType.Shape;
        if (shape is null)
        {
            return;
        }

        var mismatch = shape.Dim.Count != init.Dims.Count
            || shape.Dim.Select((d, i) => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue != init.Dims[i]).Any(static x => x);
        if (mismatch)
        {
            add(PgCode.InitializerTypeMismatch,
                $"In the {scope}, input '{input.Name}' is declared with shape {ShapeText.Format(shape)} but its initializer has shape {Shapes.Text(init.Dims)}.",
                null, DiagnosticSeverity.Error);
        }
    }

    private static void CheckTensorLengths(ModelProto model, Action<PgCode, string, string?, DiagnosticSeverity> add)
    {
        foreach (var (t, where) in ModelWalker.Tensors(model))
        {
            var type = (TensorElementType)t.DataType;
            if (type == TensorElementType.String || t.Dims.Any(static d => d < 0))
            {
                continue;
            }

            var stored = TensorProtoConverter.StoredByteLength(t);
            if (stored is null)
            {
                continue;
            }

            // Checked before anything is allocated from it: dims whose product overflows, or a tensor too large to exist.
            var count = ElementCount(t.Dims);
            if (count is null || count > MaxTensorElements)
            {
                add(PgCode.TensorTooLarge,
                    $"Tensor {where} declares shape [{string.Join(",", t.Dims)}], {(count is null ? "whose element count overflows a 64-bit integer" : $"{count} elements")}; at most {MaxTensorElements} are accepted.",
                    "The model file is corrupt or hostile; re-export it from its source.", DiagnosticSeverity.Error);
                continue;
            }

            var expected = TensorElementTypeInfo.ByteCount(type, count.Value);
            if (expected != stored)
            {
                add(PgCode.TensorDataLengthMismatch,
                    $"Tensor {where} of type {TensorElementTypeInfo.Name(type)} and shape {Shapes.Text(t.Dims)} needs {expected} bytes, but its data holds {stored}.",
                    "The model file is corrupt or was written by a faulty exporter; re-export it.", DiagnosticSeverity.Error);
            }
        }
    }
}
