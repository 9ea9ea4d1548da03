using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Runtime;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>The accuracy and fidelity rows of the quantize, prune and factorize tables: the original and the result evaluated on the same data.</summary>
internal static class EvaluationRows
{
    public static void Add(Table table, string inputPath, string outputPath, string dataPath, string? labels, string metric)
    {
        var data = new DataConfig(Path.GetFullPath(dataPath), dataPath, labels, new Dictionary<string, string>(), null, new SourceLocation("command line", 1, 1));
        var session = SessionConfig.Default;
        var a = ModelEvaluator.Evaluate(inputPath, data, metric, session);
        var b = ModelEvaluator.Evaluate(outputPath, data, metric, session);
        if (!double.IsNaN(a.Value))
        {
            table.AddRow(metric, F(a.Value), F(b.Value), ((b.Value - a.Value) * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " pp");
        }

        if (b.FidelityAgainst(a) is { } f)
        {
            table.AddRow("top-1 agreement", "", f.Top1Agreement is { } t ? F(t) : "n/a", "");
            table.AddRow("max |Δ output|", "", f.MaxAbsDifference.ToString("G4", CultureInfo.InvariantCulture), "");
            table.AddRow("NaN / Inf", "", $"{f.CandidateNaNCount} / {f.CandidateInfCount}", "");
        }
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
