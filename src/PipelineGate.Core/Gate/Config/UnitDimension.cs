namespace PipelineGate.Gate.Config;

/// <summary>What a quantity measures; a budget's unit must match its metric's dimension.</summary>
public enum UnitDimension
{
    /// <summary>Durations; base unit milliseconds (ns, us/µs, ms, s).</summary>
    Time,

    /// <summary>Sizes; base unit bytes (B, KB/MB/GB decimal, KiB/MiB/GiB binary).</summary>
    Bytes,

    /// <summary>Plain counts; base unit 1 (k, M, G suffixes allowed).</summary>
    Count,

    /// <summary>Rates; base unit per second (e.g. "200/s").</summary>
    Rate,

    /// <summary>Fractions such as accuracy; base unit 1 (0.97, or "97%").</summary>
    Ratio,

    /// <summary>A change in a ratio, in percentage points ("0.5 pp" = 0.005).</summary>
    PercentagePoints,

    /// <summary>A relative change ("5%" = 0.05), used by regression budgets.</summary>
    Relative,
}
