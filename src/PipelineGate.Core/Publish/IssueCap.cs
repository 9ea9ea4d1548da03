namespace PipelineGate.Publish;

/// <summary>
/// Both CI agents keep only so many errors and warnings per step and drop the rest silently (GitHub's
/// runner and the Azure Pipelines agent: 10 of each). This writes at most that many of each kind, in
/// order, and counts what it held back so that the caller can say so once.
/// </summary>
internal static class IssueCap
{
    public const int MaxPerKind = 10;

    public static (int Shown, int HiddenErrors, int HiddenWarnings) Write(IEnumerable<GateAnnotation> annotations, Action<GateAnnotation> write)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        int errors = 0, warnings = 0, hiddenErrors = 0, hiddenWarnings = 0;
        foreach (var a in annotations)
        {
            ref var shown = ref a.IsError ? ref errors : ref warnings;
            if (shown < MaxPerKind)
            {
                write(a);
                shown++;
            }
            else if (a.IsError)
            {
                hiddenErrors++;
            }
            else
            {
                hiddenWarnings++;
            }
        }

        return (errors + warnings, hiddenErrors, hiddenWarnings);
    }
}
