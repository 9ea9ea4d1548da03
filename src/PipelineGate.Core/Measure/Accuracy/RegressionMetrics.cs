using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Errors of predicted values against targets, over every value of every sample. Cosine similarity
/// treats predictions and targets as two long vectors (1 = same direction); two zero vectors count as
/// 1 and one zero vector as 0.
/// </summary>
public sealed class RegressionMetrics
{
    private readonly double[] _sampleErrors;

    internal RegressionMetrics(
        int count,
        long values,
        double meanAbsoluteError,
        double rootMeanSquaredError,
        double maxAbsoluteError,
        double cosineSimilarity,
        long nonFinitePredictions,
        double[] sampleErrors)
    {
        Count = count;
        Values = values;
        MeanAbsoluteError = meanAbsoluteError;
        RootMeanSquaredError = rootMeanSquaredError;
        MaxAbsoluteError = maxAbsoluteError;
        CosineSimilarity = cosineSimilarity;
        NonFinitePredictions = nonFinitePredictions;
        _sampleErrors = sampleErrors;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of predicted values (samples × values per sample).</summary>
    public long Values { get; }

    public double MeanAbsoluteError { get; }

    public double RootMeanSquaredError { get; }

    public double MaxAbsoluteError { get; }

    public double CosineSimilarity { get; }

    /// <summary>Predicted values that are NaN or infinite.</summary>
    public long NonFinitePredictions { get; }

    /// <summary>Mean absolute error of each sample (for <see cref="PairedComparison.Mean"/>).</summary>
    public double[] GetSampleAbsoluteErrors() => (double[])_sampleErrors.Clone();

    /// <summary>Metrics of predictions against targets with the same number of values.</summary>
    public static RegressionMetrics Compute(TensorData predicted, TensorData actual)
    {
        var acc = new RegressionAccumulator();
        acc.Add(predicted, actual);
        return acc.Result();
    }

    /// <summary>Metrics of predictions against targets, <paramref name="valuesPerSample"/> values per sample.</summary>
    public static RegressionMetrics Compute(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual, int valuesPerSample = 1)
    {
        var acc = new RegressionAccumulator();
        acc.Add(predicted, actual, valuesPerSample);
        return acc.Result();
    }
}
