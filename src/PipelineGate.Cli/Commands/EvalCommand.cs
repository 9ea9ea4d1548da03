using System.CommandLine;
using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.IO;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Statistics;
using PipelineGate.Runtime;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate eval &lt;model&gt; --data D [--labels L] [--metric M] [--reference R] [--json F]</c> (or
/// <c>--text T --tokenizer V [--max-length N]</c> for a text encoder): accuracy on labelled data, fidelity against
/// a reference model, and the paired difference between the two.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model to evaluate." };
        var data = new Option<string>("--data", "-d") { Description = "Evaluation data: .npy, .npz, a folder of .npy files or of ONNX test data sets, or .csv (or --text)." };
        var labels = new Option<string?>("--labels", "-l") { Description = "The label array or column." };
        var metric = new Option<string>("--metric", "-m") { Description = "top1, top5, f1, mae or rmse (all related metrics are printed).", DefaultValueFactory = _ => "top1" };
        var inputs = new Option<string[]>("--map") { Description = "INPUT=ARRAY: which array feeds which model input (repeatable)." };
        var reference = new Option<string?>("--reference", "-r") { Description = "A reference model (e.g. the float original): report fidelity and the paired accuracy difference." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate at most this many samples." };
        var threads = RunCommand.ThreadsOption();
        var json = new Option<string?>("--json") { Description = "Write the result as JSON (schema pipelinegate/eval/v1)." };
        var command = new Command("eval", "Measure accuracy (or fidelity against a reference model) on evaluation data.")
        {
            model, data, labels, metric, inputs, reference, limit, threads, json,
        };
        var text = new TextDataOptions();
        foreach (var option in text.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CommandGuard.Run(() => Execute(
            parse.GetValue(model)!, parse, text, parse.GetValue(data), parse.GetValue(labels), parse.GetValue(metric)!, parse.GetValue(inputs) ?? [],
            parse.GetValue(reference), parse.GetValue(limit), parse.GetValue(threads), parse.GetValue(json))));
        return command;
    }

    private static int Execute(string model, ParseResult parse, TextDataOptions text, string? data, string? labels, string metric, string[] maps, string? reference, int? limit, int threads, string? jsonPath)
    {
        if (metric is not ("top1" or "top5" or "f1" or "mae" or "rmse"))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--metric '{metric}' is not one of top1, top5, f1, mae, rmse.");
        }

        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in maps)
        {
            var eq = m.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--map '{m}' is not INPUT=ARRAY.");
            }

            mapping[m[..eq]] = m[(eq + 1)..];
        }

        var dataConfig = text.Read(parse, data, labels, mapping, limit)
            ?? throw new PipelineGateException(PgCode.UsageInvalidArgument, "eval needs evaluation data: --data FILE, or --text FILE --tokenizer FILE for a text encoder.");
        var source = dataConfig.RelativePath;
        var session = SessionConfig.Default with { IntraOpThreads = threads };
        var result = ModelEvaluator.Evaluate(model, dataConfig, metric, session);
        var referenceResult = reference is null ? null : ModelEvaluator.Evaluate(reference, dataConfig, metric, session);

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Metric", "Value");
        var doc = new Dictionary<string, object?>(StringComparer.Ordinal) { ["schema"] = "pipelinegate/eval/v1", ["model"] = model, ["data"] = source, ["samples"] = result.Samples };
        void Row(string name, double? value, string? format = null)
        {
            if (value is { } v)
            {
                table.AddRow(Markup.Escape(name), v.ToString(format ?? "0.0000", CultureInfo.InvariantCulture));
                doc[name] = v;
            }
        }

        if (result.Classification is { } c)
        {
            Row("top1", c.Top1Accuracy);
            Row($"top{c.TopK}", c.TopKAccuracy);
            Row("macro precision", c.MacroPrecision);
            Row("macro recall", c.MacroRecall);
            Row("macro f1", c.MacroF1);
        }

        if (result.Regression is { } r)
        {
            Row("mae", r.MeanAbsoluteError, "G6");
            Row("rmse", r.RootMeanSquaredError, "G6");
            Row("max abs error", r.MaxAbsoluteError, "G6");
            Row("cosine similarity", r.CosineSimilarity);
        }

        if (referenceResult is not null && result.FidelityAgainst(referenceResult) is { } f)
        {
            Row("fidelity: top-1 agreement", result.Embeddings ? null : f.Top1Agreement);
            Row("fidelity: mean cosine", f.MeanCosineSimilarity, "0.00000");
            Row("fidelity: min cosine", f.MinCosineSimilarity, "0.00000");
            Row("fidelity: nearest-neighbour agreement", f.NearestNeighbourAgreement);
            Row("fidelity: mean KL divergence", f.MeanKlDivergence, "G4");
            Row("fidelity: max |Δ|", f.MaxAbsDifference, "G4");
            Row("fidelity: relative L2", f.RelativeL2, "G4");
            Row("fidelity: NaN outputs", f.CandidateNaNCount, "0");
            Row("fidelity: Inf outputs", f.CandidateInfCount, "0");
            if (result.PairedAccuracyAgainst(referenceResult) is { } p)
            {
                table.AddRow("top1 vs reference", string.Create(CultureInfo.InvariantCulture,
                    $"{p.DifferencePoints:+0.00;-0.00;0.00} pp (95% CI {p.Interval.Lower:+0.00;-0.00;0.00} … {p.Interval.Upper:+0.00;-0.00;0.00}), McNemar {PValueText.Format(p.McNemar.PValue)}"));
                doc["top1DifferencePoints"] = p.DifferencePoints;
                doc["mcnemarP"] = p.McNemar.PValue;
            }
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(model)}[/] on {result.Samples} samples of {Markup.Escape(source)}{(result.TruncatedRows > 0 ? $" ({result.TruncatedRows} line(s) cut to the maximum length)" : "")}");
        AnsiConsole.Write(table);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllText(jsonPath, JsonOutput.Serialize(doc));
        }

        return ExitCodes.Success;
    }
}
