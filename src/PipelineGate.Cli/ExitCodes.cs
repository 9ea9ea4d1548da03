namespace PipelineGate.Cli;

/// <summary>The CLI's exit codes. They are a contract with every CI system and never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Everything passed.</summary>
    public const int Success = 0;

    /// <summary>A budget failed (a verdict, not an error).</summary>
    public const int BudgetFailed = 1;

    /// <summary>Usage, configuration, model or data error (PG1xxx, PG2xxx): the user can fix the input.</summary>
    public const int UsageError = 2;

    /// <summary>Runtime or provider failure (PG3xxx), or a bug in PipelineGate.</summary>
    public const int InternalError = 3;

    public static int For(Diagnostics.PgCode code) => (int)code switch
    {
        >= 3000 and < 4000 => InternalError,
        _ => UsageError,
    };
}
