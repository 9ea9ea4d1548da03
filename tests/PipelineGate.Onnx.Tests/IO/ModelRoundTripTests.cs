using Google.Protobuf;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>Saving and loading keeps every field of a model, including fields this build does not know.</summary>
public sealed class ModelRoundTripTests : IDisposable
{
    // Field 999 as a varint (tag 999 << 3 | 0 = 7992 = B8 3E) holding 42.
    private static readonly byte[] UnknownVarint = [0xB8, 0x3E, 0x2A];

    // Field 1000 as length-delimited bytes (tag 1000 << 3 | 2 = 8002 = C2 3E) holding "abc".
    private static readonly byte[] UnknownBytes = [0xC2, 0x3E, 0x03, (byte)'a', (byte)'b', (byte)'c'];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Model_with_every_field_kind_survives_save_and_load()
    {
        var original = FullModel();
        var path = _dir.File("full.onnx");

        ModelWriter.Save(ModelFile.Load(original.ToByteArray(), "full.onnx"), path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(original, loaded.Model);
        Assert.Equal(original.ToByteArray(), File.ReadAllBytes(path));
        Assert.Equal(path, loaded.DisplayPath);
        Assert.Equal(new FileInfo(path).Length, loaded.FileBytes);
    }

    [Fact]
    public void Full_model_covers_every_attribute_type()
    {
        var seen = FullModel().Graph.Node.SelectMany(static n => n.Attribute).Select(static a => a.Type).ToHashSet();
        var all = Enum.GetValues<AttributeProto.Types.AttributeType>().Where(static t => t != AttributeProto.Types.AttributeType.Undefined);
        Assert.All(all, t => Assert.Contains(t, seen));
    }

    [Fact]
    public void Unknown_top_level_fields_survive_load_and_serialization()
    {
        var bytes = Models.AddRelu().ToBytes();
        byte[] withUnknown = [.. bytes, .. UnknownVarint, .. UnknownBytes];

        var file = ModelFile.Load(withUnknown, "unknown.onnx");
        Assert.Equal(withUnknown, file.ToByteArray());

        var path = _dir.File("unknown.onnx");
        ModelWriter.Save(file, path);
        Assert.Equal(withUnknown, File.ReadAllBytes(path));
        Assert.Equal(withUnknown, ModelFile.Load(path).ToByteArray());
    }

    [Fact]
    public void Unknown_fields_inside_nested_messages_survive()
    {
        // A graph carrying an unknown field, placed in the model as field 7 (graph) by hand.
        var graph = Models.AddRelu().Build().Graph;
        byte[] graphBytes = [.. graph.ToByteArray(), .. UnknownVarint];
        var header = new ModelProto { IrVersion = 9, ProducerName = "nested" };
        header.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        using var ms = new MemoryStream();
        using (var coded = new CodedOutputStream(ms, leaveOpen: true))
        {
            header.WriteTo(coded);
            coded.WriteTag(7, WireFormat.WireType.LengthDelimited);
            coded.WriteBytes(ByteString.CopyFrom(graphBytes));
        }

        var original = ModelProto.Parser.ParseFrom(ms.ToArray());
        var path = _dir.File("nested.onnx");
        ModelWriter.Save(ModelFile.Load(ms.ToArray(), "nested.onnx"), path);
        var reloaded = ModelFile.Load(path);

        Assert.Equal(original, reloaded.Model);
        Assert.NotEqual(graph, reloaded.Model.Graph);
        Assert.Equal(graphBytes, reloaded.Model.Graph.ToByteArray());
    }

    [Fact]
    public void Clone_is_deep_and_equal()
    {
        var file = ModelFile.Load(FullModel().ToByteArray(), "full.onnx");
        var clone = file.Clone();
        Assert.Equal(file.Model, clone.Model);
        clone.Model.Graph.Node[0].Name = "changed";
        Assert.NotEqual(file.Model, clone.Model);
    }

    /// <summary>A model with every message and field kind of the schema populated.</summary>
    internal static ModelProto FullModel()
    {
        var model = new ModelProto
        {
            IrVersion = 10,
            ProducerName = "round-trip",
            ProducerVersion = "1.2.3",
            Domain = "org.example",
            ModelVersion = 7,
            DocString = "A model with every field.",
            Graph = FullGraph(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 21 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "org.example", Version = 1 });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "author", Value = "tests" });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "license", Value = "MIT" });
        var config = new DeviceConfigurationProto { Name = "mesh", NumDevices = 2 };
        config.Device.AddRange(["cpu:0", "cpu:1"]);
        model.Configuration.Add(config);

        var function = new FunctionProto
        {
            Name = "ScaledRelu",
            Domain = "org.example",
            Overload = "v1",
            DocString = "Relu(x) * alpha",
        };
        function.Input.Add("x");
        function.Output.Add("y");
        function.Attribute.Add("alpha");
        function.AttributeProto.Add(Attr.Float("beta", 0.5f));
        function.Node.Add(Nodes.Make("Relu", ["x"], ["r"], "f_relu"));
        function.Node.Add(Nodes.Make("Constant", [], ["a"], "f_alpha",
            new AttributeProto { Name = "value_float", RefAttrName = "alpha", Type = AttributeProto.Types.AttributeType.Float }));
        function.Node.Add(Nodes.Make("Mul", ["r", "a"], ["y"], "f_mul"));
        function.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 21 });
        function.ValueInfo.Add(ModelBuilder.Value("r", TensorElementType.Float, "n"));
        function.MetadataProps.Add(new StringStringEntryProto { Key = "fn", Value = "meta" });
        model.Functions.Add(function);

        var init = new GraphProto { Name = "init" };
        init.Node.Add(Nodes.Make("Constant", [], ["w0"], "init_w", Attr.Tensor("value", TensorProtos.Floats("w0v", [2], 0.1f, 0.2f))));
        init.Output.Add(ModelBuilder.Value("w0", TensorElementType.Float, 2));
        var algorithm = new GraphProto { Name = "step" };
        algorithm.Input.Add(ModelBuilder.Value("w", TensorElementType.Float, 2));
        algorithm.Node.Add(Nodes.Make("Neg", ["w"], ["w_next"], "step_neg"));
        algorithm.Output.Add(ModelBuilder.Value("w_next", TensorElementType.Float, 2));
        var training = new TrainingInfoProto { Initialization = init, Algorithm = algorithm };
        training.InitializationBinding.Add(new StringStringEntryProto { Key = "w", Value = "w0" });
        training.UpdateBinding.Add(new StringStringEntryProto { Key = "w", Value = "w_next" });
        model.TrainingInfo.Add(training);
        return model;
    }

    private static GraphProto FullGraph()
    {
        var g = new GraphProto { Name = "main", DocString = "the main graph" };

        // Inputs and outputs with symbolic, fixed, unknown and denoted dims and every TypeProto kind.
        var x = ModelBuilder.Value("x", TensorElementType.Float, "batch", 3, null, 8);
        x.DocString = "image";
        x.Type.Denotation = "IMAGE";
        x.Type.TensorType.Shape.Dim[0].Denotation = "DATA_BATCH";
        x.MetadataProps.Add(new StringStringEntryProto { Key = "layout", Value = "NCHW" });
        g.Input.Add(x);
        g.Input.Add(ModelBuilder.Value("w", TensorElementType.Float, 4));
        g.Input.Add(new ValueInfoProto
        {
            Name = "seq",
            Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = ModelBuilder.Value("e", TensorElementType.Int64, "k").Type } },
        });
        g.Input.Add(new ValueInfoProto
        {
            Name = "map",
            Type = new TypeProto { MapType = new TypeProto.Types.Map { KeyType = (int)TensorElementType.String, ValueType = ModelBuilder.Value("v", TensorElementType.Float).Type } },
        });
        g.Input.Add(new ValueInfoProto
        {
            Name = "opt",
            Type = new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = ModelBuilder.Value("o", TensorElementType.Double, 2).Type } },
        });
        g.Input.Add(new ValueInfoProto
        {
            Name = "sparse",
            Type = new TypeProto { SparseTensorType = new TypeProto.Types.SparseTensor { ElemType = (int)TensorElementType.Float, Shape = ModelBuilder.Value("s", TensorElementType.Float, 10, 10).Type.TensorType.Shape } },
        });
        g.Input.Add(new ValueInfoProto
        {
            Name = "opaque",
            Type = new TypeProto { OpaqueType = new TypeProto.Types.Opaque { Domain = "org.example", Name = "Blob" } },
        });
        g.Output.Add(ModelBuilder.Value("y", TensorElementType.Float, "batch", 3, null, 8));
        g.ValueInfo.Add(ModelBuilder.Value("r", TensorElementType.Float, "batch", 3, "h", 8));

        // Initializers in every storage form.
        var w = TensorProtos.Floats("w", [4], 1f, 2f, 3f, 4f);
        w.DocString = "overridable default";
        w.MetadataProps.Add(new StringStringEntryProto { Key = "origin", Value = "tests" });
        g.Initializer.Add(w);
        var typed = new TensorProto { Name = "typed", DataType = (int)TensorElementType.Int64, Segment = new TensorProto.Types.Segment { Begin = 0, End = 3 } };
        typed.Dims.Add(3);
        typed.Int64Data.AddRange([-1L, 0L, long.MaxValue]);
        g.Initializer.Add(typed);
        var doubles = new TensorProto { Name = "doubles", DataType = (int)TensorElementType.Double };
        doubles.Dims.Add(2);
        doubles.DoubleData.AddRange([Math.PI, -0.0]);
        g.Initializer.Add(doubles);
        var unsigned = new TensorProto { Name = "unsigned", DataType = (int)TensorElementType.UInt64 };
        unsigned.Dims.Add(1);
        unsigned.Uint64Data.Add(ulong.MaxValue);
        g.Initializer.Add(unsigned);
        var ints = new TensorProto { Name = "int8s", DataType = (int)TensorElementType.Int8 };
        ints.Dims.Add(2);
        ints.Int32Data.AddRange([-128, 127]);
        g.Initializer.Add(ints);
        var strings = new TensorProto { Name = "labels", DataType = (int)TensorElementType.String };
        strings.Dims.Add(2);
        strings.StringData.Add(ByteString.CopyFromUtf8("cat"));
        strings.StringData.Add(ByteString.CopyFromUtf8("\u00e9l\u00e9phant"));
        g.Initializer.Add(strings);

        g.SparseInitializer.Add(Sparse("sp", 10));

        // Nodes: attributes of every type, domains, overloads, metadata and device configurations.
        var everything = Nodes.Make("Custom", ["x", "w"], ["r"], "all_attrs",
            Attr.Float("f", 1.5f),
            Attr.Int("i", -7),
            Attr.String("s", "text"),
            Attr.Tensor("t", TensorProtos.Floats("t", [2], 3f, 4f)),
            Attr.Graph("g", SmallGraph("body")),
            new AttributeProto { Name = "sparse_tensor", Type = AttributeProto.Types.AttributeType.SparseTensor, SparseTensor = Sparse("st", 6) },
            new AttributeProto { Name = "tp", Type = AttributeProto.Types.AttributeType.TypeProto, Tp = ModelBuilder.Value("tp", TensorElementType.Float16, "n").Type },
            Attr.Floats("floats", 0.25f, -1f),
            Attr.Ints("ints", 1, 2, 3),
            Attr.Strings("strings", "a", "b"),
            GraphsAttribute(),
            TensorsAttribute(),
            SparseTensorsAttribute(),
            TypeProtosAttribute());
        everything.Domain = "org.example";
        everything.Overload = "fast";
        everything.DocString = "a node with every attribute type";
        everything.Attribute[0].DocString = "an attribute doc";
        everything.MetadataProps.Add(new StringStringEntryProto { Key = "source", Value = "layer1" });
        var device = new NodeDeviceConfigurationProto { ConfigurationId = "mesh", PipelineStage = 1 };
        var sharding = new ShardingSpecProto { TensorName = "x" };
        sharding.Device.AddRange([0L, 1L]);
        var group = new IntIntListEntryProto { Key = 0 };
        group.Value.AddRange([0L, 1L]);
        sharding.IndexToDeviceGroupMap.Add(group);
        var dim = new ShardedDimProto { Axis = 0 };
        dim.SimpleSharding.Add(new SimpleShardedDimProto { DimValue = 4, NumShards = 2 });
        sharding.ShardedDim.Add(dim);
        device.ShardingSpec.Add(sharding);
        everything.DeviceConfigurations.Add(device);
        g.Node.Add(everything);
        g.Node.Add(Nodes.Make("ScaledRelu", ["r"], ["y"], "call", Attr.Float("alpha", 2f)));
        g.Node[1].Domain = "org.example";

        var annotation = new TensorAnnotation { TensorName = "r" };
        annotation.QuantParameterTensorNames.Add(new StringStringEntryProto { Key = "SCALE_TENSOR", Value = "r_scale" });
        annotation.QuantParameterTensorNames.Add(new StringStringEntryProto { Key = "ZERO_POINT_TENSOR", Value = "r_zp" });
        g.QuantizationAnnotation.Add(annotation);
        g.MetadataProps.Add(new StringStringEntryProto { Key = "graph", Value = "meta" });
        return g;
    }

    private static SparseTensorProto Sparse(string name, long size)
    {
        var s = new SparseTensorProto
        {
            Values = TensorProtos.Floats(name, [2], 5f, 6f),
            Indices = TensorProtos.Int64s(name + "_indices", [2], 1, size - 1),
        };
        s.Dims.Add(size);
        return s;
    }

    private static GraphProto SmallGraph(string name)
    {
        var g = new GraphProto { Name = name };
        g.Node.Add(Nodes.Make("Identity", ["x"], [name + "_out"], name + "_id"));
        g.Output.Add(ModelBuilder.Value(name + "_out", TensorElementType.Float, "batch"));
        return g;
    }

    private static AttributeProto GraphsAttribute()
    {
        var a = new AttributeProto { Name = "graphs", Type = AttributeProto.Types.AttributeType.Graphs };
        a.Graphs.Add(SmallGraph("g1"));
        a.Graphs.Add(SmallGraph("g2"));
        return a;
    }

    private static AttributeProto TensorsAttribute()
    {
        var a = new AttributeProto { Name = "tensors", Type = AttributeProto.Types.AttributeType.Tensors };
        a.Tensors.Add(TensorProtos.Floats("t1", [1], 1f));
        a.Tensors.Add(TensorProtos.Int64s("t2", [2], 1, 2));
        return a;
    }

    private static AttributeProto SparseTensorsAttribute()
    {
        var a = new AttributeProto { Name = "sparse_tensors", Type = AttributeProto.Types.AttributeType.SparseTensors };
        a.SparseTensors.Add(Sparse("s1", 4));
        a.SparseTensors.Add(Sparse("s2", 8));
        return a;
    }

    private static AttributeProto TypeProtosAttribute()
    {
        var a = new AttributeProto { Name = "type_protos", Type = AttributeProto.Types.AttributeType.TypeProtos };
        a.TypeProtos.Add(ModelBuilder.Value("a", TensorElementType.Int32, 1).Type);
        a.TypeProtos.Add(new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = ModelBuilder.Value("b", TensorElementType.Bool).Type } });
        return a;
    }
}
