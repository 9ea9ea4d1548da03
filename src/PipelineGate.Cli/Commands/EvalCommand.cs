using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.IO;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Text;
using PipelineGate.Report;
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
        var metric = new Option<string>("--metric", "-m") { Description = EvaluationMetrics.Choices + " (all related metrics are printed).", DefaultValueFactory = _ => EvaluationMetrics.Default };
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

        command.Options.Add(text.Pairs);

        command.SetAction(parse => CommandGuard.Run(() => Execute(
            parse.GetValue(model)!, parse, text, parse.GetValue(data), parse.GetValue(labels), parse.GetValue(metric)!, parse.GetValue(inputs) ?? [],
            parse.GetValue(reference), parse.GetValue(limit), parse.GetValue(threads), parse.GetValue(json))));
        return command;
    }

    private static int Execute(string model, ParseResult parse, TextDataOptions text, string? data, string? labels, string metric, string[] maps, string? reference, int? limit, int threads, string? jsonPath)
    {
        EvaluationMetrics.Require(metric, "--metric");

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

        var pairsConfig = text.ReadPairs(parse);
        var dataConfig = text.Read(parse, data, labels, mapping, limit, pairs: pairsConfig is not null);
        if (dataConfig is null && pairsConfig is null)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "eval needs evaluation data: --data FILE, or --text FILE --tokenizer FILE for a text encoder, or --pairs FILE --tokenizer FILE for labelled sentence pairs.");
        }

        var session = SessionConfig.Default with { IntraOpThreads = threads };
        var similarity = pairsConfig is null ? null : Similarity(model, reference, pairsConfig, session);
        EvaluationReport report;
        string heading;
        if (dataConfig is not null)
        {
            var source = dataConfig.RelativePath;
            var result = ModelEvaluator.Evaluate(model, dataConfig, metric, session, StderrProgress.Fraction("evaluating " + model));
            var referenceResult = reference is null ? null : ModelEvaluator.Evaluate(reference, dataConfig, metric, session, StderrProgress.Fraction("evaluating " + reference));
            report = EvaluationReport.Of(model, source, result, reference, referenceResult) with { Similarity = similarity?.Summary };
            heading = $"[bold]{Markup.Escape(model)}[/] on {result.Samples} samples of {Markup.Escape(source)}{(result.TruncatedRows > 0 ? $" ({result.TruncatedRows} line(s) cut to the maximum length)" : "")}";
        }
        else
        {
            var s = similarity!.Value;
            report = EvaluationReport.OfPairs(model, s.Summary, pairsConfig!.RelativePath, s.Pairs, reference);
            heading = $"[bold]{Markup.Escape(model)}[/] on {s.Pairs} sentence pairs of {Markup.Escape(pairsConfig.RelativePath)}{(report.TruncatedRows > 0 ? $" ({report.TruncatedRows} sentence(s) cut to the maximum length)" : "")}";
            if (s.Summary is null)
            {
                throw new PipelineGateException(PgCode.SentencePairsTooFew, "The model gives every pair the same cosine, so Spearman's rho is undefined.", pairsConfig.Path,
                    hint: "Check --output-name: the output compared must be the sentence embedding.");
            }
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Metric", "Value");
        foreach (var (label, value) in report.Rows())
        {
            table.AddRow(Markup.Escape(label), Markup.Escape(value));
        }

        AnsiConsole.MarkupLine(heading);
        AnsiConsole.Write(table);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllText(jsonPath, MachineJson.Serialize(report));
        }

        return ExitCodes.Success;
    }

    /// <summary>similarity.spearman of the model (and of the reference, paired on the same pairs) on labelled sentence pairs.</summary>
    private static (EvaluationReport.SimilaritySummary? Summary, int Pairs)? Similarity(string model, string? reference, PairsConfig config, SessionConfig session)
    {
        var pairs = SentencePairs.Read(config.Path);
        var scores = pairs.Select(static p => p.Score).ToArray();
        var maxLength = config.MaxLength ?? Measure.Accuracy.EvalDataOptions.DefaultMaxLength;
        Console.Error.WriteLine($"embedding {pairs.Count} sentence pairs with {model}");
        var result = PairSimilarity.Evaluate(model, pairs, config.Path, config.Tokenizer, maxLength, session, config.Output);
        PairSimilarityResult? referenceResult = null;
        if (reference is not null)
        {
            Console.Error.WriteLine($"embedding {pairs.Count} sentence pairs with {reference}");
            referenceResult = PairSimilarity.Evaluate(reference, pairs, config.Path, config.Tokenizer, maxLength, session, config.Output);
        }

        return (EvaluationReport.SimilarityOf(config.RelativePath, result, scores, referenceResult), pairs.Count);
    }
}
