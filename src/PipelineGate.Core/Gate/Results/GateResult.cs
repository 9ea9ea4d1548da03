using PipelineGate.Diagnostics;
using PipelineGate.Measure.Environment;

namespace PipelineGate.Gate.Results;

/// <summary>
/// The one results model of a gate run (results.json, schema <c>pipelinegate/results/v1</c>,
/// docs/schemas/results-v1.md). Every renderer (console, Markdown, JUnit, HTML) and every door
/// (MSBuild, GitHub, Azure DevOps) reads this and nothing else.
/// </summary>
public sealed record GateResult
{
    public const string SchemaId = "pipelinegate/results/v1";

    public string Schema { get; init; } = SchemaId;

    public required string ToolVersion { get; init; }

    public required string ConfigPath { get; init; }

    public string? Profile { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double DurationSeconds { get; init; }

    public required RunnerFingerprint Runner { get; init; }

    public required BaselineInfo Baseline { get; init; }

    public required IReadOnlyList<ModelResult> Models { get; init; }

    /// <summary>Every budget check, failures first when rendered.</summary>
    public required IReadOnlyList<CheckResult> Checks { get; init; }

    /// <summary>Things the reader should know that are not checks (a skipped GPU target, a missing baseline).</summary>
    public required IReadOnlyList<Diagnostic> Notices { get; init; }

    /// <summary>Shard "i/n" when this result covers part of the plan.</summary>
    public string? Shard { get; init; }

    /// <summary>True when the run was asked to report failures without failing (exit 0).</summary>
    public bool WarnOnly { get; init; }

    public GateSummary Summary => GateSummary.Of(Checks);
}
