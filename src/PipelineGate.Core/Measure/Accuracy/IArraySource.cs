using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>One array of an evaluation set whose leading axis is the sample axis, readable by row ranges.</summary>
internal interface IArraySource : IDisposable
{
    /// <summary>The array's name in the data (file stem, archive entry, CSV column list).</summary>
    string ArrayName { get; }

    /// <summary>The file to name in error messages.</summary>
    string File { get; }

    TensorElementType ElementType { get; }

    /// <summary>The full shape; element 0 is the number of samples.</summary>
    long[] Shape { get; }

    /// <summary>Rows <paramref name="start"/> .. start+count-1 as a tensor of shape [count, Shape[1..]].</summary>
    TensorData ReadRows(int start, int count);
}
