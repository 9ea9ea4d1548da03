using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Measure.Environment;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate doctor [--json]</c>: what this machine offers ONNX Runtime (build, providers that
/// load, CPU extensions, memory, GPUs) and what to install for a provider that does not load.
/// It reports; a missing GPU is not a failure. Only an ONNX Runtime that cannot load exits non-zero.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (schema pipelinegate/doctor/v1, see docs/schemas/doctor-v1.md)." };
        var command = new Command("doctor", "Show the ONNX Runtime build, which execution providers load here, the CPU's int8 extensions, memory and GPUs.") { json };
        command.SetAction(parse => CommandGuard.Run(() => Execute(parse.GetValue(json))));
        return command;
    }

    private static int Execute(bool json)
    {
        var report = DoctorReport.Collect(ToolInfo.Version);
        if (json)
        {
            Console.Out.Write(MachineJson.Serialize(report));
        }
        else
        {
            DoctorRenderer.Render(AnsiConsole.Console, report);
        }

        if (report.OnnxRuntime.Error is { } error)
        {
            Console.Error.WriteLine(error.ToString());
            return ExitCodes.For(error.Code);
        }

        return ExitCodes.Success;
    }
}
