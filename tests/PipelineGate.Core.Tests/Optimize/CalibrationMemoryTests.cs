using PipelineGate.Optimize.Quantization;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// The calibrator's memory is O(tensors × bins): folding more batches never grows its state. Here
/// 2 tensors × 512 batches × 2^20 values are folded: 2^30 floats, 4 GiB if the activations were stored
/// (twice what one Span&lt;byte&gt; or byte[] can address), with no allocation at all beyond the fixed
/// histograms. (Kept at this size because the fold loop runs unoptimized in Debug test builds.)
/// </summary>
public sealed class CalibrationMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Histogram_state_does_not_grow_with_the_number_of_batches()
    {
        const int BatchValues = 1 << 20;
        const int Batches = 512;
        var random = new Random(11);
        var buffers = new float[3][];
        for (var b = 0; b < buffers.Length; b++)
        {
            var scale = MathF.Pow(10, b); // later batches widen the range, forcing re-binning
            buffers[b] = new float[BatchValues];
            for (var i = 0; i < BatchValues; i++)
            {
                buffers[b][i] = ((float)random.NextDouble() - 0.3f) * scale;
            }
        }

        var stats = new ActivationStatistics(["conv_in", "conv_out"], CalibrationMethod.Entropy);
        stats.Fold("conv_in", buffers[0]);
        stats.Fold("conv_out", buffers[0]);
        stats.EndBatch();
        var stateAfterOne = stats.StateBytes;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        for (var batch = 1; batch < Batches; batch++)
        {
            var values = buffers[Math.Min(batch * buffers.Length / Batches, buffers.Length - 1)];
            stats.Fold("conv_in", values);
            stats.Fold("conv_out", values);
            stats.EndBatch();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var folded = 2L * Batches * BatchValues;
        output.WriteLine($"folded {folded:N0} values ({folded * 4.0 / (1L << 30):0.0} GiB as float32) into {stats.StateBytes:N0} bytes of state; {allocated:N0} bytes allocated while folding");

        Assert.Equal(stateAfterOne, stats.StateBytes);
        Assert.Equal(2 * ((TensorHistogram.DefaultBins * 8) + 48), stats.StateBytes);
        Assert.True(allocated < 1 << 20, $"folding allocated {allocated} bytes");
        Assert.Equal(Batches, stats.Batches);
        Assert.Equal((long)Batches * BatchValues, stats.Histogram("conv_in")!.Total);
        Assert.True(folded * sizeof(float) > 2L * int.MaxValue);

        // The ranges still reflect every batch: the widest buffer spans [−30, 70].
        Assert.Equal(-30f, stats.Histogram("conv_out")!.Min, 0.01f);
        Assert.Equal(70f, stats.Histogram("conv_out")!.Max, 0.01f);
    }
}
