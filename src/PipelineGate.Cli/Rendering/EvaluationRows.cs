using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Report;
using PipelineGate.Runtime;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>
/// The rows the quantize, prune and factorize tables share: size before/after, and the original and the
/// result evaluated on the same data (accuracy and fidelity), with evaluation progress on standard error.
/// </summary>
internal static class EvaluationRows
{
    public static void Sizes(Table table, long beforeBytes, long afterBytes, long beforeCompressed, long afterCompressed)
    {
        table.AddRow("file size", ReportFormat.Bytes(beforeBytes), ReportFormat.Bytes(afterBytes), Ratio(afterBytes, beforeBytes));
        table.AddRow("gzip size", ReportFormat.Bytes(beforeCompressed), ReportFormat.Bytes(afterCompressed), Ratio(afterCompressed, beforeCompressed));
    }

    public static void Add(Table table, string inputPath, string outputPath, DataConfig data, string metric)
    {
        var session = SessionConfig.Default;
        var a = ModelEvaluator.Evaluate(inputPath, data, metric, session, StderrProgress.Fraction("evaluating " + inputPath));
        var b = ModelEvaluator.Evaluate(outputPath, data, metric, session, StderrProgress.Fraction("evaluating " + outputPath));
        if (!double.IsNaN(a.Value))
        {
            table.AddRow(metric, F(a.Value), F(b.Value), ReportFormat.SignedPp(b.Value - a.Value));
        }

        if (b.FidelityAgainst(a) is { } f)
        {
            if (b.Embeddings)
            {
                // Sentence embeddings: top-1 agreement over hidden units would mean nothing.
                table.AddRow("cosine mean / min", "", $"{ReportFormat.Number(f.MeanCosineSimilarity, "0.00000")} / {ReportFormat.Number(f.MinCosineSimilarity, "0.00000")}", "");
                table.AddRow("nearest-neighbour agreement", "", f.NearestNeighbourAgreement is { } nn ? F(nn) : "n/a", "");
            }
            else
            {
                table.AddRow("top-1 agreement", "", f.Top1Agreement is { } t ? F(t) : "n/a", "");
            }

            table.AddRow("max |Δ output|", "", ReportFormat.Number(f.MaxAbsDifference, "G4"), "");
            table.AddRow("NaN / Inf", "", $"{f.CandidateNaNCount} / {f.CandidateInfCount}", "");
        }
    }

    public static string Ratio(long after, long before) => before == 0 ? "" : ReportFormat.Number(after / (double)before, "0.00") + "×";

    private static string F(double v) => ReportFormat.Number(v, "0.0000");
}
