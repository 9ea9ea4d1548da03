using System.CommandLine;
using PipelineGate.Cli;
using PipelineGate.Cli.Commands;
using PipelineGate.Diagnostics;

ConsoleSetup.Apply();

var root = new RootCommand("PipelineGate: keeps ONNX models honest in CI (size, latency, accuracy budgets).")
{
    InspectCommand.Create(),
    RunCommand.Create(),
    BenchCommand.Create(),
    CheckCommand.Create(),
    QuantizeCommand.Create(),
    PruneCommand.Create(),
    FactorizeCommand.Create(),
    InputsCommand.Create(),
    EvalCommand.Create(),
    BaselineCommand.Create(),
    DoctorCommand.Create(),
    PublishCommand.Create(),
    MergeCommand.Create(),
    InitCommand.Create(),
    WorkerCommand.Create(),
};

// With no arguments, run the gate on ./pipelinegate.yml (or the bundled sample's, from the repository root).
root.SetAction(_ => CommandGuard.Run(() => CheckCommand.Execute(new CheckCommand.CheckArguments("", null, null, null, CheckCommand.DefaultOut, false, null))));

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine(new Diagnostic(PgCode.UsageInvalidArgument, DiagnosticSeverity.Error, error.Message, Hint: "Run 'pipelinegate --help'.").ToString());
    }

    return ExitCodes.UsageError;
}

return parse.Invoke();
