using Xunit;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Validation;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Core.Tests.Acceptance;

/// <summary>
/// Every validator rule against the real ONNX Runtime: a model the validator calls an error must be one
/// ORT refuses to load (the validator may explain better, never refuse more). Each case breaks one rule
/// of a small valid model; the ORT behaviour is the one observed with ORT 1.31.1 (a model it loads gets
/// at most a warning), stated per case so that a change on either side shows.
/// </summary>
public sealed class ValidatorVsOrtTests
{
    public static TheoryData<string> Cases() => new(Breakages.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_validator_error_is_a_model_ORT_refuses(string name)
    {
        var (build, code, ortRefuses) = Breakages[name];
        var model = build();
        var bytes = model.ToByteArray();
        var findings = ModelValidator.Validate(ModelFile.Load(bytes, name + ".onnx"));
        var errors = findings.Where(static d => d.Severity == DiagnosticSeverity.Error).ToArray();

        var ortError = OrtLoadError(bytes, name);

        Assert.Contains(findings, d => d.Code == code);
        Assert.Equal(ortRefuses, ortError is not null);
        if (ortError is null)
        {
            Assert.True(errors.Length == 0, $"ORT loads '{name}' but the validator refuses it: {string.Join("; ", errors.Select(static e => e.ToString()))}");
        }
        else
        {
            Assert.True(errors.Any(d => d.Code == code), $"ORT refuses '{name}' ({ortError}); the validator should say why with {Diagnostic.FormatCode(code)}.");
        }
    }

    private static string? OrtLoadError(byte[] bytes, string name)
    {
        try
        {
            using var session = InferenceSession.Create(bytes, name);
            return null;
        }
        catch (PipelineGateException ex)
        {
            return ex.Message;
        }
    }

    private static readonly Dictionary<string, (Func<ModelProto> Build, PgCode Code, bool OrtRefuses)> Breakages = new(StringComparer.Ordinal)
    {
        ["nodes-out-of-order"] = (static () => With(static g =>
        {
            var first = g.Node[0];
            g.Node.RemoveAt(0);
            g.Node.Add(first);
        }), PgCode.NotTopologicallySorted, false),
        ["subgraph-nodes-out-of-order"] = (static () => WithIf(sortedBody: false), PgCode.NotTopologicallySorted, true),
        ["main-graph-out-of-order-around-an-if"] = (static () =>
        {
            var m = WithIf(sortedBody: true);
            var ifNode = m.Graph.Node[^1];
            m.Graph.Node.RemoveAt(m.Graph.Node.Count - 1);
            m.Graph.Node.Insert(0, ifNode);
            return m;
        }, PgCode.NotTopologicallySorted, false),
        ["cycle"] = (static () => With(static g =>
        {
            g.Node[0].Input[0] = "y";
        }), PgCode.GraphCycle, true),
        ["dangling-input"] = (static () => With(static g => g.Node[1].Input[1] = "ghost"), PgCode.DanglingInput, true),
        ["duplicate-node-output"] = (static () => With(static g => g.Node.Add(TinyModels.Node("Sigmoid", ["x"], ["h"], "again"))), PgCode.DuplicateName, true),
        ["output-shadows-input"] = (static () => With(static g => g.Node[0].Output[0] = "x"), PgCode.DuplicateName, true),
        ["duplicate-initializer"] = (static () => With(static g => g.Initializer.Add(g.Initializer[0].Clone())), PgCode.DuplicateName, false),
        ["output-not-produced"] = (static () => With(static g => g.Output.Add(TinyModels.Value("nowhere", TensorElementType.Float, "1", "4"))), PgCode.GraphInvalid, true),
        ["no-outputs"] = (static () => With(static g => g.Output.Clear()), PgCode.GraphInvalid, false),
        ["initializer-type-differs-from-input"] = (static () => With(static g => g.Input.Add(TinyModels.Value("b", TensorElementType.Double, "4"))), PgCode.InitializerTypeMismatch, true),
        ["initializer-shape-differs-from-input"] = (static () => With(static g => g.Input.Add(TinyModels.Value("b", TensorElementType.Float, "2", "2"))), PgCode.InitializerTypeMismatch, true),
        ["initializer-data-too-short"] = (static () => With(static g => g.Initializer[0].RawData = ByteString.CopyFrom(new byte[8])), PgCode.TensorDataLengthMismatch, true),
        ["ir-version-2"] = (static () => With(null, static m => m.IrVersion = 2), PgCode.UnsupportedIrVersion, false),
        ["ir-version-13"] = (static () => With(null, static m => m.IrVersion = 13), PgCode.UnsupportedIrVersion, false),
        ["opset-domain-twice"] = (static () => With(null, static m => m.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = 17 })), PgCode.OpsetImportInvalid, false),
        ["opset-version-0"] = (static () => With(null, static m => m.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 0 })), PgCode.OpsetImportInvalid, false),
        ["no-default-opset"] = (static () => With(null, static m =>
        {
            m.OpsetImport.Clear();
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }), PgCode.OpsetImportInvalid, false),
    };

    /// <summary>h = Relu(x); y = If(cond) { then: Neg(Sigmoid(h)) } else { Identity(h) }.</summary>
    private static ModelProto WithIf(bool sortedBody)
    {
        var then = new GraphProto { Name = "then" };
        then.Node.Add(TinyModels.Node("Sigmoid", ["h"], ["s"], "sig"));
        then.Node.Add(TinyModels.Node("Neg", ["s"], ["t"], "neg"));
        if (!sortedBody)
        {
            var first = then.Node[0];
            then.Node.RemoveAt(0);
            then.Node.Add(first);
        }

        then.Output.Add(TinyModels.Value("t", TensorElementType.Float, "1", "4"));
        var otherwise = new GraphProto { Name = "else" };
        otherwise.Node.Add(TinyModels.Node("Identity", ["h"], ["e"], "id"));
        otherwise.Output.Add(TinyModels.Value("e", TensorElementType.Float, "1", "4"));
        var g = new GraphProto { Name = "with_if" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "1", "4"));
        g.Input.Add(TinyModels.Value("cond", TensorElementType.Bool));
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "1", "4"));
        g.Node.Add(TinyModels.Node("Relu", ["x"], ["h"], "relu"));
        var ifNode = TinyModels.Node("If", ["cond"], ["y"], "if");
        ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = then });
        ifNode.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = otherwise });
        g.Node.Add(ifNode);
        return ModelProto.Parser.ParseFrom(TinyModels.Model(g));
    }

    /// <summary>x[1,4] → Relu → h; y = h + b (b a float[4] initializer). Valid as built.</summary>
    private static ModelProto With(Action<GraphProto>? graph, Action<ModelProto>? model = null)
    {
        var g = new GraphProto { Name = "valid" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "1", "4"));
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "1", "4"));
        var b = new TensorProto { Name = "b", DataType = (int)TensorElementType.Float, RawData = ByteString.CopyFrom(TensorData.Create(new[] { 1f, 2f, 3f, 4f }, 4).Bytes) };
        b.Dims.Add(4);
        g.Initializer.Add(b);
        g.Node.Add(TinyModels.Node("Relu", ["x"], ["h"], "relu"));
        g.Node.Add(TinyModels.Node("Add", ["h", "b"], ["y"], "add"));
        graph?.Invoke(g);
        var m = ModelProto.Parser.ParseFrom(TinyModels.Model(g));
        model?.Invoke(m);
        return m;
    }
}
