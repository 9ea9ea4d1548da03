using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;

namespace PipelineGate.Gate.Judging;

/// <summary>What one check is about: the budget, its metric, and the variant (and target) measured.</summary>
internal sealed record JudgeContext(ModelConfig Model, BudgetConfig Budget, MetricInfo Metric, VariantResult Variant, VariantResult? Original, TargetResult? Target)
{
    public string TargetName => Target?.Target ?? "—";

    public string Id => $"{Model.Name}/{Variant.Name}/{TargetName}/{Budget.Metric}/{Budget.Kind.ToString().ToLowerInvariant()}";

    /// <summary>A check with the fields every outcome shares filled in.</summary>
    public CheckResult Check(CheckOutcome outcome, string message, double? actual, double? reference, Diagnostics.PgCode? code = null) => new()
    {
        Id = Id,
        Model = Model.Name,
        Variant = Variant.Name,
        Target = TargetName,
        Metric = Budget.Metric,
        Kind = Budget.Kind,
        BudgetText = BudgetText.Of(Budget, Metric),
        Unit = Units.BaseUnit(Metric.Dimension),
        Actual = actual,
        Reference = reference,
        Deterministic = Metric.Deterministic,
        Outcome = Budget.WarningOnly && outcome == CheckOutcome.Fail ? CheckOutcome.Warn : outcome,
        Code = outcome is CheckOutcome.Fail or CheckOutcome.Warn ? code : null,
        Message = message,
        File = Budget.Location.File,
        Line = Budget.Location.Line,
        Column = Budget.Location.Column,
    };
}
