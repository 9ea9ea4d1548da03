using Google.Protobuf;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.Support;

/// <summary>
/// Builds small ONNX models for tests. Dimensions are given as <c>long</c>/<c>int</c> (a fixed size),
/// <c>string</c> (a symbolic dimension) or <c>null</c> (an unknown dimension).
/// </summary>
internal sealed class ModelBuilder
{
    private readonly ModelProto _model;

    public ModelBuilder(long irVersion = 9, long opset = 17, string graphName = "test")
    {
        _model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "pipelinegate-tests",
            Graph = new GraphProto { Name = graphName },
        };
        if (opset > 0)
        {
            _model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        }
    }

    public GraphProto Graph => _model.Graph;

    public ModelBuilder Input(string name, TensorElementType type, params object?[] dims)
    {
        _model.Graph.Input.Add(Value(name, type, dims));
        return this;
    }

    /// <summary>A graph input whose type carries no shape at all.</summary>
    public ModelBuilder InputWithoutShape(string name, TensorElementType type = TensorElementType.Float)
    {
        _model.Graph.Input.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } });
        return this;
    }

    public ModelBuilder Output(string name, TensorElementType type = TensorElementType.Float, params object?[] dims)
    {
        _model.Graph.Output.Add(Value(name, type, dims));
        return this;
    }

    public ModelBuilder ValueInfo(string name, TensorElementType type, params object?[] dims)
    {
        _model.Graph.ValueInfo.Add(Value(name, type, dims));
        return this;
    }

    public ModelBuilder Initializer(TensorProto tensor)
    {
        _model.Graph.Initializer.Add(tensor);
        return this;
    }

    public ModelBuilder Initializer(string name, long[] dims, float fill = 0.5f) =>
        Initializer(TensorProtos.Filled(name, dims, fill));

    public ModelBuilder Node(string opType, string[] inputs, string[] outputs, string? name = null, params AttributeProto[] attributes)
    {
        _model.Graph.Node.Add(Nodes.Make(opType, inputs, outputs, name, attributes));
        return this;
    }

    public ModelBuilder Opset(string domain, long version)
    {
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    public ModelBuilder Configure(Action<ModelProto> change)
    {
        change(_model);
        return this;
    }

    public ModelProto Build() => _model.Clone();

    public byte[] ToBytes() => _model.ToByteArray();

    /// <summary>Loads the model from memory (no folder, so no external data).</summary>
    public ModelFile ToFile(string displayPath = "model.onnx") => ModelFile.Load(ToBytes(), displayPath);

    /// <summary>Writes the serialized model to <paramref name="path"/> (plain bytes, not through ModelWriter) and returns the path.</summary>
    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    public static ValueInfoProto Value(string name, TensorElementType type, params object?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                null => new TensorShapeProto.Types.Dimension(),
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                _ => throw new ArgumentException($"Unsupported dimension {d}.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}

/// <summary>Node construction shorthands.</summary>
internal static class Nodes
{
    public static NodeProto Make(string opType, string[] inputs, string[] outputs, string? name = null, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = name ?? opType + "_" + string.Join("_", outputs) };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }
}

/// <summary>Attribute construction shorthands.</summary>
internal static class Attr
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Floats(string name, params float[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    public static AttributeProto Strings(string name, params string[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return a;
    }

    public static AttributeProto Tensor(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    public static AttributeProto Graph(string name, GraphProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = value };
}

/// <summary>Tensor construction shorthands.</summary>
internal static class TensorProtos
{
    public static TensorProto Floats(string name, long[] dims, params float[] values) =>
        Raw(name, TensorElementType.Float, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorProto Int64s(string name, long[] dims, params long[] values) =>
        Raw(name, TensorElementType.Int64, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static TensorProto Filled(string name, long[] dims, float fill)
    {
        var count = dims.Aggregate(1L, static (p, d) => p * d);
        return Floats(name, dims, Enumerable.Repeat(fill, checked((int)count)).ToArray());
    }

    public static TensorProto Raw(string name, TensorElementType type, long[] dims, byte[] bytes)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }

    /// <summary>A tensor whose data lives in an external file (entries given verbatim).</summary>
    public static TensorProto External(string name, TensorElementType type, long[] dims, string location, long? offset = null, long? length = null)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange(dims);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset is { } o)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = o.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (length is { } l)
        {
            t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = l.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        return t;
    }
}
