using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Size;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Report;
using PipelineGate.Runtime;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary><c>pipelinegate quantize &lt;in&gt; -o &lt;out&gt; --mode ...</c>: writes a quantized copy (never the input) and reports size and quality before/after.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("model") { Description = "The float model to quantize (never modified)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the quantized model.", Required = true };
        var mode = new Option<string>("--mode", "-m") { Description = "dynamic, static, fp16 or int4.", DefaultValueFactory = _ => "dynamic" };
        var perChannel = new Option<bool?>("--per-channel") { Description = "Per-output-channel weight scales (default true)." };
        var calibration = new Option<string?>("--calibration") { Description = "Calibration data for static mode (.npy, .npz, folder)." };
        var method = new Option<string?>("--method") { Description = "Calibration method: minmax, percentile, entropy or auto (per tensor, the smallest estimated error)." };
        var weightType = new Option<string?>("--weight-type") { Description = "Dynamic mode weight type: auto (default: int8 on a CPU with VNNI, uint8 without), uint8 or int8." };
        var embeddings = new Option<bool?>("--embeddings") { Description = "Dynamic mode: store embedding tables (Gather over a constant table) in 8 bits (default true)." };
        var reduceRange = new Option<bool?>("--reduce-range") { Description = "Dynamic mode: int8 weights in 7 bits (avoids int16 saturation on CPUs without VNNI)." };
        var activationType = new Option<string?>("--activation-type") { Description = "Static mode activation type: uint8 (default) or int8." };
        var symmetricActivations = new Option<bool?>("--symmetric-activations") { Description = "Static mode: symmetric activation ranges." };
        var blockSize = new Option<string?>("--block-size") { Description = "int4 mode: weights per block, 32 (default), 64 or 128." };
        var excludeOp = new Option<string[]>("--exclude-op") { Description = "Keep these op types in float (repeatable)." };
        var excludeNode = new Option<string[]>("--exclude-node") { Description = "Keep these nodes in float (repeatable)." };
        var maxDrop = new Option<string?>("--max-drop") { Description = "Accuracy-aware fallback: the largest allowed drop (e.g. 0.5pp); needs --data." };
        var maxDropMetric = new Option<string?>("--max-drop-metric") { Description = "The metric --max-drop is stated in: " + string.Join(", ", QuantizeOptions.DropMetrics) + " (default: by output kind)." };
        var fallback = new Option<string?>("--fallback") { Description = "Static mode: a sensitive node falls back to float (default), uint16 (int8 weights, 16-bit activations) or auto." };
        var rerank = new Option<string?>("--rerank") { Description = "Static mode with --max-drop: rounds (0-3, default 0) of re-ranking the fallback in the context of the chosen set, searching for a smaller set whose measured drop holds." };
        var data = new Option<string?>("--data") { Description = "Evaluation data to report accuracy (with --labels) or fidelity before/after." };
        var labels = new Option<string?>("--labels") { Description = "The label array/column in --data." };
        var metric = new Option<string>("--metric") { Description = EvaluationMetrics.Choices + ".", DefaultValueFactory = _ => EvaluationMetrics.Default };
        var command = new Command("quantize", "Quantize a model (dynamic int8, static QDQ, fp16, int4) into a new file and report size and accuracy before/after.")
        {
            input, output, mode, perChannel, weightType, reduceRange, embeddings, activationType, symmetricActivations, blockSize, calibration, method, excludeOp, excludeNode, maxDrop, maxDropMetric, fallback, rerank, data, labels, metric,
        };
        var text = new TextDataOptions();
        foreach (var option in text.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => CommandGuard.Run(() =>
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal) { ["mode"] = parse.GetValue(mode)! };
            void Put(string key, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    options[key] = value;
                }
            }

            Put("per-channel", QuantizeOptions.Flag(parse.GetValue(perChannel)));
            Put("weight-type", parse.GetValue(weightType));
            Put("reduce-range", QuantizeOptions.Flag(parse.GetValue(reduceRange)));
            Put("embeddings", QuantizeOptions.Flag(parse.GetValue(embeddings)));
            Put("activation-type", parse.GetValue(activationType));
            Put("symmetric-activations", QuantizeOptions.Flag(parse.GetValue(symmetricActivations)));
            Put("block-size", parse.GetValue(blockSize));
            Put("calibration", parse.GetValue(calibration));
            Put("method", parse.GetValue(method));
            Put("exclude-op", string.Join(",", parse.GetValue(excludeOp) ?? []));
            Put("exclude-node", string.Join(",", parse.GetValue(excludeNode) ?? []));
            Put("max-drop", parse.GetValue(maxDrop));
            Put("max-drop-metric", parse.GetValue(maxDropMetric));
            Put("fallback", parse.GetValue(fallback));
            Put("rerank", parse.GetValue(rerank));
            return Execute(parse.GetValue(input)!, parse.GetValue(output)!, options, text.Read(parse, parse.GetValue(data), parse.GetValue(labels), null, null), parse.GetValue(metric)!);
        }));
        return command;
    }

    private static int Execute(string inputPath, string outputPath, Dictionary<string, string> options, DataConfig? data, string metric)
    {
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "The output path is the input model; PipelineGate never modifies a model in place.", outputPath,
                hint: "Write the quantized model to a new file.");
        }

        var here = new SourceLocation("command line", 1, 1);
        var step = new RecipeStep("quantize", options, here);
        var input = ModelFile.Load(inputPath);
        var result = new QuantizeStep().Apply(input, step, new Optimize.OptimizationContext(Directory.GetCurrentDirectory(), data, StderrProgress.Messages("quantize")));
        ModelWriter.Save(result.Model, outputPath);

        var before = SizeMeter.Measure(input);
        var after = SizeMeter.Measure(ModelFile.Load(outputPath));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "Original", "Quantized", "Change");
        EvaluationRows.Sizes(table, before.TotalBytes, after.TotalBytes, before.CompressedBytes, after.CompressedBytes);
        if (data is not null)
        {
            EvaluationRows.Add(table, inputPath, outputPath, data, metric);
        }

        AnsiConsole.Write(table);
        foreach (var note in result.Notes)
        {
            AnsiConsole.MarkupLine(Markup.Escape(note));
        }

        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(outputPath)}[/].");
        return ExitCodes.Success;
    }

}
