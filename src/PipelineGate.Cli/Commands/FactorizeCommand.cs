using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Optimize.LowRank;

namespace PipelineGate.Cli.Commands;

/// <summary><c>pipelinegate factorize &lt;in&gt; -o &lt;out&gt; [--energy 0.95 | --rank R] [--data D --max-drop X]</c>: low-rank MatMul/Gemm weights in a new file.</summary>
internal static class FactorizeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("model") { Description = "The float model to factorize (never modified)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the factorized model.", Required = true };
        var energy = new Option<string?>("--energy") { Description = "Share of Σσ² each factorized weight keeps, in (0, 1] (default 0.95)." };
        var rank = new Option<string?>("--rank") { Description = "A fixed rank instead of --energy." };
        var maxDrop = new Option<string?>("--max-drop") { Description = "Accuracy-aware search: give each weight its rank, a milder one, or none, keeping the drop (quantize's max-drop metric) within this, e.g. 1pp; needs --data." };
        var command = new Command("factorize", "Replace MatMul/Gemm weights by low-rank factors U·V (truncated SVD) where that saves parameters, into a new file.")
        {
            input, output, energy, rank, maxDrop,
        };
        var common = StepRunner.AddCommonOptions(command);
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            var step = StepRunner.Step("factorize", ("energy", parse.GetValue(energy)), ("rank", parse.GetValue(rank)), ("max-drop", parse.GetValue(maxDrop)));
            return StepRunner.Run(new FactorizeStep(), step, parse.GetValue(input)!, parse.GetValue(output)!, common(parse), "Factorized");
        }));
        return command;
    }
}
