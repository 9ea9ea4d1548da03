using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Accuracy and per-class quality of a classifier over labelled samples.
/// <para>
/// The predicted class is the arg-max of a sample's scores (first index on ties, NaN scores ignored;
/// a row of only NaN predicts nothing and is wrong). A sample is top-k correct when fewer than k
/// classes outrank its label, where an equal score at a lower index also outranks.
/// </para>
/// <para>
/// Macro precision, recall and F1 are plain means over the classes that occur in the labels or in the
/// predictions (scikit-learn's default label set); classes that do neither are left out rather than
/// counted as 0. A class that occurs but is never predicted has precision 0 (scikit-learn's
/// <c>zero_division=0</c>) and is counted in <see cref="NeverPredictedClasses"/>; macro F1 is the mean
/// of the per-class F1 values, not the F1 of macro precision and recall.
/// </para>
/// </summary>
public sealed class ClassificationMetrics
{
    private readonly bool[] _top1Correct;

    internal ClassificationMetrics(
        int count,
        int classCount,
        int topK,
        double top1Accuracy,
        double topKAccuracy,
        double macroPrecision,
        double macroRecall,
        double macroF1,
        int averagedClasses,
        int neverPredictedClasses,
        long rowsWithNaN,
        IReadOnlyList<ClassMetrics> perClass,
        bool[] top1Correct)
    {
        Count = count;
        ClassCount = classCount;
        TopK = topK;
        Top1Accuracy = top1Accuracy;
        TopKAccuracy = topKAccuracy;
        MacroPrecision = macroPrecision;
        MacroRecall = macroRecall;
        MacroF1 = macroF1;
        AveragedClasses = averagedClasses;
        NeverPredictedClasses = neverPredictedClasses;
        RowsWithNaN = rowsWithNaN;
        PerClass = perClass;
        _top1Correct = top1Correct;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of classes (score columns).</summary>
    public int ClassCount { get; }

    /// <summary>The k of <see cref="TopKAccuracy"/>, capped at the number of classes.</summary>
    public int TopK { get; }

    /// <summary>Fraction (0..1) of samples whose arg-max is the label; NaN for no samples.</summary>
    public double Top1Accuracy { get; }

    /// <summary>Fraction (0..1) of samples whose label is among the <see cref="TopK"/> best scores.</summary>
    public double TopKAccuracy { get; }

    public double MacroPrecision { get; }

    public double MacroRecall { get; }

    public double MacroF1 { get; }

    /// <summary>How many classes the macro averages run over (those in the labels or the predictions).</summary>
    public int AveragedClasses { get; }

    /// <summary>Classes that occur in the labels but were never predicted (their precision counts as 0).</summary>
    public int NeverPredictedClasses { get; }

    /// <summary>Samples whose scores contain NaN.</summary>
    public long RowsWithNaN { get; }

    /// <summary>Metrics of every class 0..<see cref="ClassCount"/>-1.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Per sample, whether the top-1 prediction was right (for <see cref="PairedComparison.Accuracy"/>).</summary>
    public bool[] GetTop1Correct() => (bool[])_top1Correct.Clone();

    /// <summary>Metrics from scores [N, C] and labels [N] (see <see cref="ClassificationAccumulator.Add(TensorData, TensorData)"/>).</summary>
    public static ClassificationMetrics Compute(TensorData scores, TensorData labels, int topK = 5)
    {
        var acc = new ClassificationAccumulator(topK);
        acc.Add(scores, labels);
        return acc.Result();
    }

    /// <summary>Metrics from row-major scores with <paramref name="classCount"/> columns and one class index per row.</summary>
    public static ClassificationMetrics Compute(ReadOnlySpan<double> scores, int classCount, ReadOnlySpan<long> labels, int topK = 5)
    {
        var acc = new ClassificationAccumulator(topK);
        acc.Add(scores, classCount, labels);
        return acc.Result();
    }

    /// <summary>Metrics from predicted class indices (top-k equals top-1).</summary>
    public static ClassificationMetrics FromPredictedLabels(ReadOnlySpan<long> predicted, ReadOnlySpan<long> labels, int classCount)
    {
        var acc = new ClassificationAccumulator(1);
        acc.AddPredictions(predicted, labels, classCount);
        return acc.Result();
    }
}
