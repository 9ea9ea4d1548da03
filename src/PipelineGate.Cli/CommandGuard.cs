using PipelineGate.Diagnostics;

namespace PipelineGate.Cli;

/// <summary>
/// Runs a command body and turns failures into a coded message on stderr and a stable exit code.
/// A user's mistake never shows a stack trace; a bug does (it is ours to fix), with exit code 3.
/// </summary>
internal static class CommandGuard
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Gate.Config.ConfigException ex)
        {
            foreach (var d in ex.Diagnostics)
            {
                Console.Error.WriteLine(d.ToString());
            }

            return ExitCodes.For(ex.Code);
        }
        catch (PipelineGateException ex)
        {
            Console.Error.WriteLine(ex.Diagnostic.ToString());
            return ExitCodes.For(ex.Code);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("pipelinegate: cancelled.");
            return ExitCodes.InternalError;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"pipelinegate: internal error (a bug in PipelineGate; please report it with this output): {ex}");
            return ExitCodes.InternalError;
        }
    }
}
