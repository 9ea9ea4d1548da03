using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime.Tests.Conformance;

/// <summary>
/// Runs one ONNX backend test case end to end through PipelineGate's own parts: our reader loads the
/// model, our writer serializes it and our reader reads that back (nothing may be lost), ONNX Runtime
/// loads the round-tripped bytes through our binding, and every test_data_set is run and compared.
/// </summary>
public static class ConformanceRunner
{
    public static CaseOutcome Run(string caseDir)
    {
        var name = Path.GetFileName(caseDir);
        var modelPath = Path.Combine(caseDir, "model.onnx");
        ModelFile model;
        try
        {
            model = ModelFile.Load(modelPath);
        }
        catch (PipelineGateException ex)
        {
            return new CaseOutcome(name, OutcomeKind.Fail, "reader: " + ex.Diagnostic.Message, 0);
        }

        var bytes = model.ToByteArray();
        var reread = ModelFile.Load(bytes, modelPath, caseDir);
        if (!reread.Model.Equals(model.Model))
        {
            return new CaseOutcome(name, OutcomeKind.Fail, "round trip changed the model", 0);
        }

        if (!reread.ToByteArray().AsSpan().SequenceEqual(bytes))
        {
            return new CaseOutcome(name, OutcomeKind.Fail, "round trip is not byte-stable", 0);
        }

        var inputs = ModelInspector.RealInputs(model.Graph).ToArray();
        var nonTensor = inputs.Concat(model.Graph.Output).FirstOrDefault(static v => v.Type?.ValueCase != TypeProto.ValueOneofCase.TensorType);
        if (nonTensor is not null)
        {
            return new CaseOutcome(name, OutcomeKind.Skip, $"non-tensor value '{nonTensor.Name}' ({nonTensor.Type?.ValueCase}): the binding reads and writes tensors only", 0);
        }

        var dataSets = Directory.GetDirectories(caseDir, "test_data_set_*").Order(StringComparer.Ordinal).ToArray();
        InferenceSession session;
        try
        {
            session = InferenceSession.Create(bytes, name, SessionConfig.Default);
        }
        catch (PipelineGateException ex)
        {
            return new CaseOutcome(name, OutcomeKind.Fail, "load: " + OneLine(ex.Diagnostic.Message), dataSets.Length);
        }

        using (session)
        {
            foreach (var set in dataSets)
            {
                var feed = new Dictionary<string, TensorData>(StringComparer.Ordinal);
                var inputFiles = Directory.GetFiles(set, "input_*.pb").OrderBy(static f => IndexOf(f)).ToArray();
                for (var i = 0; i < inputFiles.Length; i++)
                {
                    var (pbName, data) = TensorIO.ReadProto(inputFiles[i]);
                    var inputName = string.IsNullOrEmpty(pbName) ? inputs[i].Name : pbName;
                    feed[inputName] = AsDeclared(data, inputs.FirstOrDefault(v => v.Name == inputName));
                }

                var expected = Directory.GetFiles(set, "output_*.pb").OrderBy(static f => IndexOf(f)).Select(TensorIO.ReadProto).ToArray();
                IReadOnlyDictionary<string, TensorData> actual;
                try
                {
                    actual = session.Run(feed);
                }
                catch (PipelineGateException ex)
                {
                    return new CaseOutcome(name, OutcomeKind.Fail, "run: " + OneLine(ex.Diagnostic.Message), dataSets.Length);
                }

                for (var k = 0; k < expected.Length; k++)
                {
                    var outputName = string.IsNullOrEmpty(expected[k].Name) ? model.Graph.Output[k].Name : expected[k].Name;
                    if (!actual.TryGetValue(outputName, out var got))
                    {
                        return new CaseOutcome(name, OutcomeKind.Fail, $"output '{outputName}' missing", dataSets.Length);
                    }

                    var diff = TensorComparer.Difference(AsDeclared(expected[k].Data, model.Graph.Output.FirstOrDefault(v => v.Name == outputName)), got);
                    if (diff is not null)
                    {
                        return new CaseOutcome(name, OutcomeKind.Fail, $"{Path.GetFileName(set)} output '{outputName}': {diff}", dataSets.Length);
                    }
                }
            }
        }

        return new CaseOutcome(name, OutcomeKind.Pass, "", dataSets.Length);
    }

    /// <summary>
    /// The ONNX test data stores bfloat16 tensors as uint16 (numpy has no bfloat16): reinterpret the
    /// bits as the type the model declares. No other conversion is done.
    /// </summary>
    private static TensorData AsDeclared(TensorData data, ValueInfoProto? declared)
    {
        var type = (TensorElementType)(declared?.Type?.TensorType?.ElemType ?? 0);
        return type == TensorElementType.BFloat16 && data.ElementType == TensorElementType.UInt16
            ? TensorData.FromBytes(TensorElementType.BFloat16, data.Shape, data.Bytes)
            : data;
    }

    private static int IndexOf(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        return int.Parse(stem[(stem.LastIndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
