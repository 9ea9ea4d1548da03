using System.Globalization;

namespace PipelineGate.Measure.Statistics;

/// <summary>Outcome of <see cref="MannWhitney.Test"/>. Immutable.</summary>
public sealed class MannWhitneyResult
{
    internal MannWhitneyResult(double u, double z, double pValue, MannWhitneyAlternative alternative)
    {
        U = u;
        Z = z;
        PValue = pValue;
        Alternative = alternative;
    }

    /// <summary>
    /// U statistic of the first sample: the number of pairs (xᵢ, yⱼ) with xᵢ &gt; yⱼ, ties counting ½
    /// (R's <c>W</c>). Ranges from 0 to n·m; n·m/2 under the null hypothesis.
    /// </summary>
    public double U { get; }

    /// <summary>Tie- and continuity-corrected standard normal score of <see cref="U"/> (positive when x tends larger).</summary>
    public double Z { get; }

    /// <summary>p-value for <see cref="Alternative"/> from the normal approximation.</summary>
    public double PValue { get; }

    /// <summary>The alternative hypothesis tested.</summary>
    public MannWhitneyAlternative Alternative { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"U={U:G6} z={Z:F4} p={PValue:G4} ({Alternative})");
}
