using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Facts;

/// <summary>
/// A small, honest shape propagation for cost estimates: it knows the shapes the model declares
/// (inputs, initializers, value_info, outputs) and derives output shapes for the common operators
/// whose cost we count. Anything else stays unknown rather than guessed. Symbolic input dimensions
/// (e.g. batch) are taken as 1 and listed, so an estimate always says what it assumed.
/// </summary>
internal sealed class ShapeEnvironment
{
    private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, long> _fixedDims;

    public ShapeEnvironment(GraphProto graph, IReadOnlyDictionary<string, long>? fixedDims = null)
    {
        _fixedDims = fixedDims ?? new Dictionary<string, long>();
        foreach (var t in graph.Initializer)
        {
            _shapes[t.Name] = t.Dims.ToArray();
            _constants[t.Name] = t;
        }

        foreach (var v in graph.Input)
        {
            Seed(v, assumeSymbolicAsOne: true);
        }

        foreach (var v in graph.ValueInfo.Concat(graph.Output))
        {
            Seed(v, assumeSymbolicAsOne: false);
        }
    }

    public SortedSet<string> AssumedSymbols { get; } = new(StringComparer.Ordinal);

    public long[]? Get(string name) => _shapes.TryGetValue(name, out var s) ? s : null;

    public TensorProto? Constant(string name) => _constants.TryGetValue(name, out var t) ? t : null;

    public void Set(string name, long[]? shape)
    {
        // A derived shape with a non-positive dimension means a rule met something it does not model: stay unknown.
        if (shape is not null && shape.Any(static d => d <= 0))
        {
            return;
        }

        if (shape is not null && !string.IsNullOrEmpty(name) && !_shapes.ContainsKey(name))
        {
            _shapes[name] = shape;
        }
    }

    public void AddConstant(string name, TensorProto t)
    {
        _constants[name] = t;
        Set(name, t.Dims.ToArray());
    }

    /// <summary>Integer contents of a small constant (shape, axes inputs).</summary>
    public long[]? ConstantInts(string name)
    {
        if (Constant(name) is not { } t)
        {
            return null;
        }

        var type = (TensorElementType)t.DataType;
        if (type is not (TensorElementType.Int64 or TensorElementType.Int32) || ExternalDataInfo.IsExternal(t))
        {
            return null;
        }

        var data = TensorProtoConverter.ToTensorData(t);
        return type == TensorElementType.Int64 ? data.AsSpan<long>().ToArray() : data.AsSpan<int>().ToArray().Select(static x => (long)x).ToArray();
    }

    private void Seed(ValueInfoProto v, bool assumeSymbolicAsOne)
    {
        var shape = v.Type?.TensorType?.Shape;
        if (shape is null || _shapes.ContainsKey(v.Name))
        {
            return;
        }

        var dims = new long[shape.Dim.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var d = shape.Dim[i];
            if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0)
            {
                dims[i] = d.DimValue;
            }
            else if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam && _fixedDims.TryGetValue(d.DimParam, out var fixedValue))
            {
                dims[i] = fixedValue;
            }
            else if (assumeSymbolicAsOne)
            {
                dims[i] = 1;
                AssumedSymbols.Add(d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : $"{v.Name}[{i}]");
            }
            else
            {
                return;
            }
        }

        _shapes[v.Name] = dims;
    }
}
