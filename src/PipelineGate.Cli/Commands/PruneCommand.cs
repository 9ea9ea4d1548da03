using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Optimize.Pruning;

namespace PipelineGate.Cli.Commands;

/// <summary><c>pipelinegate prune &lt;in&gt; -o &lt;out&gt; --method magnitude|nm|channel|heads|ffn --sparsity S [--data D | --text T --tokenizer V] [--max-drop X]</c>: writes a pruned copy (never the input) and reports what it bought.</summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("model") { Description = "The float model to prune (never modified)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the pruned model.", Required = true };
        var method = new Option<string>("--method", "-m") { Description = "magnitude (zero weights), nm (N:M pattern), channel (remove whole channels), heads (attention heads) or ffn (transformer FFN neurons).", DefaultValueFactory = _ => "magnitude" };
        var sparsity = new Option<string?>("--sparsity", "-s") { Description = "Fraction removed, in [0, 1): of weights (magnitude), or of each layer's output channels (channel), attention heads (heads) or FFN neurons (ffn)." };
        var pattern = new Option<string?>("--pattern") { Description = "N:M pattern, e.g. 2:4 (keep 2 of every 4 weights along the input axis)." };
        var perLayer = new Option<bool?>("--per-layer") { Description = "Remove the same fraction in every layer (default true); false ranks across layers." };
        var skipFirstLast = new Option<bool?>("--skip-first-last") { Description = "Magnitude: leave the first and last layers dense (default true)." };
        var multipleOf = new Option<string?>("--multiple-of") { Description = "Channel/ffn: keep a multiple of this many channels (neurons) per layer (default 8; 1 = exactly the requested share)." };
        var norm = new Option<string?>("--norm") { Description = "Channel importance: l1 (default) or l2." };
        var maxDrop = new Option<string?>("--max-drop") { Description = "Accuracy-aware search: prune each layer (heads/ffn: each attention/FFN block) at --sparsity, half of it or not at all, keeping the drop (quantize's max-drop metric) within this, e.g. 1pp; needs --data (or --text with --tokenizer)." };
        var command = new Command("prune", "Prune a model (magnitude, N:M, or structured channels, attention heads, FFN neurons) into a new file and report parameters, size, compressed size and MACs before/after.")
        {
            input, output, method, sparsity, pattern, perLayer, skipFirstLast, norm, multipleOf, maxDrop,
        };
        var common = StepRunner.AddCommonOptions(command);
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            var step = StepRunner.Step("prune",
                ("method", parse.GetValue(method)),
                ("sparsity", parse.GetValue(sparsity)),
                ("pattern", parse.GetValue(pattern)),
                ("per-layer", Optimize.Quantization.QuantizeOptions.Flag(parse.GetValue(perLayer))),
                ("skip-first-last", Optimize.Quantization.QuantizeOptions.Flag(parse.GetValue(skipFirstLast))),
                ("norm", parse.GetValue(norm)),
                ("multiple-of", parse.GetValue(multipleOf)),
                ("max-drop", parse.GetValue(maxDrop)));
            return StepRunner.Run(new PruneStep(), step, parse.GetValue(input)!, parse.GetValue(output)!, common(parse), "Pruned");
        }));
        return command;
    }
}
