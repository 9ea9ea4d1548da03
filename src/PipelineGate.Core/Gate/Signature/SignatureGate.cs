using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Onnx.Facts;

namespace PipelineGate.Gate.Signature;

/// <summary>
/// The model's inputs and outputs against the baseline's: every change is a failure with its exact diff
/// (PG4501–PG4506), unless <c>accept-signature-change</c> names the baseline's signature as the one it
/// moves away from, in which case it is a notice naming the reason (PG4507). An acknowledgement the
/// baseline has caught up with is a notice that it can go (PG4508); one naming another signature does not
/// apply, and says so (PG4509). Identical signatures produce nothing.
/// </summary>
internal static class SignatureGate
{
    public static IReadOnlyList<CheckResult> Judge(ModelConfig model, ModelSignature current, ModelSignature? baseline, string baselineLabel, List<Diagnostic> notices)
    {
        var accept = model.AcceptSignatureChange;
        if (baseline is null)
        {
            return [];
        }

        var changes = SignatureDiff.Compare(baseline, current);
        if (changes.Count == 0)
        {
            if (accept is not null)
            {
                notices.Add(new Diagnostic(PgCode.SignatureAcceptanceObsolete, DiagnosticSeverity.Info,
                    $"Model '{model.Name}': {baselineLabel} already has this signature ({current.Hash}), so 'accept-signature-change' (from {accept.From}: \"{accept.Reason}\") no longer applies and can be removed.",
                    accept.Location.File, accept.Location.Line, accept.Location.Column, "Delete the accept-signature-change entry."));
            }

            return [];
        }

        var diff = string.Join("; ", changes.Select(static c => c.Text));
        if (accept is not null && accept.From == baseline.Hash)
        {
            notices.Add(new Diagnostic(PgCode.SignatureChangeAccepted, DiagnosticSeverity.Info,
                $"Model '{model.Name}': signature change accepted (\"{accept.Reason}\"), {baseline.Hash} {SignatureDiff.Arrow} {current.Hash}: {diff}.",
                accept.Location.File, accept.Location.Line, accept.Location.Column,
                "Remove the entry once the base branch has the new signature; the gate says when."));
            return [];
        }

        if (accept is not null)
        {
            notices.Add(new Diagnostic(PgCode.SignatureAcceptanceMismatch, DiagnosticSeverity.Warning,
                $"Model '{model.Name}': 'accept-signature-change' names the old signature {accept.From}, but {baselineLabel} has {baseline.Hash}: it does not apply, and the change fails.",
                accept.Location.File, accept.Location.Line, accept.Location.Column,
                $"If this change is intended, set 'from: {baseline.Hash}'."));
        }

        var how = $"If the change is intended, update the code that calls the model and add to the model in pipelinegate.yml: accept-signature-change: {{ reason: \"...\", from: {baseline.Hash} }}.";
        return changes.Select(c => SignatureCheck.Failure(model, VariantConfig.OriginalName, "—", SignatureCheck.SignatureMetric, $"{c.Side}:{c.Name}", BudgetKind.Regression,
            "unchanged vs base", CodeOf(c), CheckOutcome.Fail,
            $"Signature of '{model.Name}' changed against {baselineLabel} ({baseline.Hash} {SignatureDiff.Arrow} {current.Hash}): {c.Text}. Code that calls the model breaks. {how}",
            model.Location)).ToArray();
    }

    private static PgCode CodeOf(SignatureChange c) => c.Kinds[0] switch
    {
        SignatureChangeKind.Renamed => PgCode.SignatureRenamed,
        SignatureChangeKind.ElementType => PgCode.SignatureElementTypeChanged,
        SignatureChangeKind.Rank => PgCode.SignatureRankChanged,
        SignatureChangeKind.Dimension => PgCode.SignatureDimensionChanged,
        SignatureChangeKind.Added => PgCode.SignatureValueAdded,
        _ => PgCode.SignatureValueRemoved,
    };
}
