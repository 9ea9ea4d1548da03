using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Optimize;

/// <summary>The fixtures' top-1 agreement counts every row of the last dimension, not every batch entry.</summary>
public sealed class QuantizationFixturesTests
{
    [Fact]
    public void Top1_agreement_is_per_row_of_the_last_dimension()
    {
        // [batch 2, time 3, classes 4]: one-hot rows with these argmaxes; the candidate differs at rows 2 and 5.
        int[] referenceTop = [0, 1, 2, 3, 0, 1];
        int[] candidateTop = [0, 1, 0, 3, 0, 2];
        var reference = OneHot(referenceTop);
        var candidate = OneHot(candidateTop);

        // Per timestep 4 of 6 agree; per batch entry (12 values flattened) both would agree.
        Assert.Equal(4.0 / 6, QuantizationFixtures.Top1Agreement(candidate, reference));
        Assert.Equal(1.0, QuantizationFixtures.Top1Agreement(reference, reference));
    }

    private static TensorData OneHot(int[] top)
    {
        var values = new float[top.Length * 4];
        for (var r = 0; r < top.Length; r++)
        {
            values[(r * 4) + top[r]] = 1;
        }

        return TensorData.Create(values, 2, 3, 4);
    }
}
