using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>An array already in memory (CSV columns, .npy files that had to be loaded whole).</summary>
internal sealed class TensorArraySource(string arrayName, string file, TensorData tensor) : IArraySource
{
    public string ArrayName { get; } = arrayName;

    public string File { get; } = file;

    public TensorElementType ElementType => tensor.ElementType;

    public long[] Shape { get; } = tensor.ShapeArray();

    public TensorData ReadRows(int start, int count) => TensorRows.Slice(tensor, start, count);

    public void Dispose()
    {
    }
}
