using System.Globalization;

namespace PipelineGate.Measure.Statistics;

/// <summary>
/// A closed interval <c>[Lower, Upper]</c> that is claimed to contain an unknown population value
/// with probability of at least <see cref="Level"/> under the assumptions of the method that produced it.
/// </summary>
/// <param name="Lower">Lower bound (inclusive).</param>
/// <param name="Upper">Upper bound (inclusive).</param>
/// <param name="Level">The requested confidence level, e.g. 0.95.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper, double Level)
{
    /// <summary>Whether <paramref name="value"/> lies inside the closed interval.</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{Lower:G6}, {Upper:G6}] @ {Level:P1}");
}
