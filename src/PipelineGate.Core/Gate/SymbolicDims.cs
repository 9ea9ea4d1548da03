using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Gate;

/// <summary>
/// Symbolic input dimensions that random inputs fill with 1 (no data, no size given): a text recognizer
/// timed at width 1 or a CNN counted at 1×1 pixels is not what the user meant, so the gate says which
/// dimensions and how to give their sizes.
/// </summary>
public static class SymbolicDims
{
    /// <summary>Each dimension filled with 1, as "NAME (input 'x', axis 3)"; unnamed dynamic axes as "x[3]".</summary>
    public static IReadOnlyList<(string Name, string Where)> Filled(ModelFile file, IReadOnlyDictionary<string, long> given)
    {
        var result = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in ModelInspector.RealInputs(file.Graph))
        {
            var dims = input.Type?.TensorType?.Shape?.Dim;
            for (var axis = 0; dims is not null && axis < dims.Count; axis++)
            {
                var d = dims[axis];
                if (d.ValueCase == Onnx.Proto.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0)
                {
                    continue;
                }

                var name = d.ValueCase == Onnx.Proto.TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : $"{input.Name}[{axis}]";
                if (!given.ContainsKey(name) && seen.Add(name))
                {
                    result.Add((name, $"input '{input.Name}', axis {axis}"));
                }
            }
        }

        return result;
    }

    /// <summary>PG4005: the model was timed (and its MACs counted) with these dimensions at 1.</summary>
    public static Diagnostic Notice(string model, IReadOnlyList<(string Name, string Where)> filled, SourceLocation location)
    {
        var first = filled[0].Name;
        return new Diagnostic(PgCode.SymbolicDimsFilled, DiagnosticSeverity.Warning,
            $"Model '{model}' has no data, so it was timed with random inputs whose symbolic dimension(s) were filled with 1: "
            + string.Join(", ", filled.Select(static f => $"'{f.Name}' ({f.Where})"))
            + ". Latency and MACs at size 1 are not what the model does in use (its MACs are a lower bound).",
            location.File, location.Line, location.Column,
            $"Give the real sizes: 'dims: {{ {first}: N }}' in the model's entry in pipelinegate.yml, or --dim {first}=N.");
    }
}
