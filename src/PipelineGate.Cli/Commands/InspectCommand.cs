using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Validation;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary><c>pipelinegate inspect &lt;model&gt; [--json]</c>: what the model is, and whether it is well-formed.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to the .onnx file." };
        var json = new Option<bool>("--json") { Description = "Print the facts as JSON (schema pipelinegate/inspect/v1, see docs/schemas/inspect-v1.md)." };
        var dims = RunCommand.DimOption();
        dims.Description = "NAME=SIZE: a symbolic dimension's size for the compute estimate (e.g. height=640); others count as 1.";
        var command = new Command("inspect", "Show a model's signature, parameters, operators and compute, and validate it.") { model, json, dims };
        command.SetAction(parse => CommandGuard.Run(() => Execute(parse.GetValue(model)!, parse.GetValue(json), RunCommand.ParseDims(parse.GetValue(dims) ?? []))));
        return command;
    }

    private static int Execute(string path, bool json, IReadOnlyDictionary<string, long> dims)
    {
        var file = ModelFile.Load(path);
        var findings = ModelValidator.Validate(file);
        var facts = ModelInspector.Inspect(file, fixedDims: dims);
        if (json)
        {
            Console.Out.Write(MachineJson.Serialize(new InspectResult(facts, findings.Select(DiagnosticJson.From).ToArray())));
        }
        else
        {
            FactsRenderer.Render(AnsiConsole.Console, facts, findings);
        }

        foreach (var e in findings.Where(static d => d.Severity == DiagnosticSeverity.Error).Where(_ => json))
        {
            Console.Error.WriteLine(e.ToString());
        }

        return ExitCode(findings);
    }

    /// <summary>2 when a finding is an error (a model ONNX Runtime refuses), else 0: notices and warnings never fail inspect.</summary>
    internal static int ExitCode(IReadOnlyList<Diagnostic> findings) =>
        findings.Any(static d => d.Severity == DiagnosticSeverity.Error) ? ExitCodes.UsageError : ExitCodes.Success;

    /// <summary>The JSON document: the facts plus validation findings.</summary>
    internal sealed record InspectResult(ModelFacts Model, IReadOnlyList<DiagnosticJson> Findings)
    {
        public string Schema => ModelFacts.SchemaId;
    }
}
