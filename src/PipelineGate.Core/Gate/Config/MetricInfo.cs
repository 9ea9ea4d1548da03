namespace PipelineGate.Gate.Config;

/// <summary>
/// A metric that budgets can name. <see cref="Timing"/> metrics are noisy and judged through the
/// statistics (A/B comparison, noise band, one re-measurement); <see cref="Deterministic"/> ones are
/// exact and judged exactly; accuracy-like metrics are sampled and judged with paired tests.
/// </summary>
public sealed record MetricInfo(
    string Name,
    UnitDimension Dimension,
    MetricDirection Direction,
    bool Deterministic,
    bool Timing,
    bool PerTarget,
    string Description);
