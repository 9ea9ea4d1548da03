using PipelineGate.Onnx.IO;

namespace PipelineGate.Measure.Text;

/// <summary>
/// How many positions a transformer's learned position-embedding table holds (BERT-class: 512): the rows of
/// the 2-D initializer whose name says position embeddings. Null when the model has none by that name
/// (relative or rotary positions), and then no length is checked against it.
/// </summary>
public static class PositionTable
{
    public static int? Rows(string modelPath) => Rows(ModelFile.Load(modelPath));

    /// <summary>The same for a model already loaded (e.g. one a recipe step is working on).</summary>
    public static int? Rows(ModelFile model)
    {
        var graph = model.Model.Graph;
        var table = graph.Initializer.FirstOrDefault(static t => t.Dims.Count == 2 && t.Name.Contains("position_embeddings", StringComparison.OrdinalIgnoreCase));
        return table is null ? null : checked((int)table.Dims[0]);
    }
}
