using Spectre.Console;

namespace PipelineGate.Cli;

/// <summary>
/// Configures the console every command writes to, once, at startup. Spectre.Console decides ANSI
/// support from TERM alone, so `pipelinegate check &gt; log` used to write escape codes into the file;
/// and it honours NO_COLOR only for colours, still writing bold. Here a redirected standard output or
/// a non-empty NO_COLOR (no-color.org) means plain text: no escape sequences at all, on a CI runner too.
/// </summary>
internal static class ConsoleSetup
{
    public const string NoColorVariable = "NO_COLOR";

    public static void Apply()
    {
        if (IsPlain(Console.IsOutputRedirected, Environment.GetEnvironmentVariable(NoColorVariable)))
        {
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(Console.Out),

                // Spectre's CI enrichers switch ANSI back on where the CI log renders it (GitHub Actions,
                // Azure Pipelines), which wrote bold escapes into a redirected, NO_COLOR run there.
                Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
            });
        }
    }

    /// <summary>True when the output must carry no escape sequences.</summary>
    internal static bool IsPlain(bool outputRedirected, string? noColor) => outputRedirected || !string.IsNullOrEmpty(noColor);
}
