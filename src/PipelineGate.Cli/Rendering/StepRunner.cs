using System.CommandLine;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Size;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>
/// Runs one recipe step from the command line (prune, factorize): writes the result to a new file
/// (never the input) and prints parameters, nonzero parameters, file size, gzip size and MACs before
/// and after, with fidelity/accuracy when data is given.
/// </summary>
internal static class StepRunner
{
    public static int Run(IOptimizationStep stepImpl, RecipeStep step, string inputPath, string outputPath, CommonOptions common, string resultName)
    {
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "The output path is the input model; PipelineGate never modifies a model in place.", outputPath,
                hint: "Write the result to a new file.");
        }

        var input = ModelFile.Load(inputPath);
        var data = common.Data;
        var result = stepImpl.Apply(input, step, new OptimizationContext(Directory.GetCurrentDirectory(), data, StderrProgress.Messages(step.Kind)));
        ModelWriter.Save(result.Model, outputPath);

        var written = ModelFile.Load(outputPath);
        var before = SizeMeter.Measure(input, ModelInspector.Inspect(input, fixedDims: common.Dims));
        var after = SizeMeter.Measure(written, ModelInspector.Inspect(written, fixedDims: common.Dims));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "Original", resultName, "Change");
        table.AddRow("parameters", ReportFormat.Count(before.ParameterCount), ReportFormat.Count(after.ParameterCount), EvaluationRows.Ratio(after.ParameterCount, before.ParameterCount));
        table.AddRow("nonzero parameters", ReportFormat.Count(before.NonzeroParameterCount), ReportFormat.Count(after.NonzeroParameterCount), EvaluationRows.Ratio(after.NonzeroParameterCount, before.NonzeroParameterCount));
        EvaluationRows.Sizes(table, before.TotalBytes, after.TotalBytes, before.CompressedBytes, after.CompressedBytes);
        table.AddRow("MACs" + (before.MacsComplete && after.MacsComplete ? "" : " (lower bound)"), ReportFormat.Count(before.Macs), ReportFormat.Count(after.Macs), EvaluationRows.Ratio(after.Macs, before.Macs));
        if (data is not null)
        {
            EvaluationRows.Add(table, inputPath, outputPath, data, common.Metric);
        }

        AnsiConsole.Write(table);
        foreach (var note in result.Notes)
        {
            AnsiConsole.MarkupLine(Markup.Escape(note));
        }

        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(outputPath)}[/].");
        return ExitCodes.Success;
    }

    /// <summary>The options prune and factorize share: evaluation data (arrays or tokenized text; the search's data with max-drop), and symbolic dimensions for the MACs estimate.</summary>
    public sealed record CommonOptions(DataConfig? Data, string Metric, IReadOnlyDictionary<string, long> Dims);

    /// <summary>Adds --data, --labels, --metric, --dim and the text options (--text, --tokenizer, --max-length, --output-name) to a command; the returned function reads them.</summary>
    public static Func<ParseResult, CommonOptions> AddCommonOptions(Command command)
    {
        var data = new Option<string?>("--data") { Description = "Evaluation data to report accuracy (with --labels) or fidelity before/after." };
        var labels = new Option<string?>("--labels") { Description = "The label array/column in --data." };
        var metric = new Option<string>("--metric") { Description = "top1, top5, f1, mae or rmse.", DefaultValueFactory = _ => "top1" };
        var dims = Commands.RunCommand.DimOption();
        dims.Description = "NAME=SIZE: a symbolic dimension's size for the MACs estimate (e.g. height=48); others count as 1.";
        command.Options.Add(data);
        command.Options.Add(labels);
        command.Options.Add(metric);
        command.Options.Add(dims);
        var text = new Commands.TextDataOptions();
        foreach (var option in text.All)
        {
            command.Options.Add(option);
        }

        return parse => new CommonOptions(text.Read(parse, parse.GetValue(data), parse.GetValue(labels), null, null), parse.GetValue(metric)!, Commands.RunCommand.ParseDims(parse.GetValue(dims) ?? []));
    }

    /// <summary>The step's options from command-line values; empty values are left out.</summary>
    public static RecipeStep Step(string kind, params (string Key, string? Value)[] values) =>
        new(kind, values.Where(static v => !string.IsNullOrEmpty(v.Value)).ToDictionary(static v => v.Key, static v => v.Value!, StringComparer.Ordinal), new SourceLocation("command line", 1, 1));
}
