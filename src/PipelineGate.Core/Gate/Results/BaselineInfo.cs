namespace PipelineGate.Gate.Results;

/// <summary>What the run compared against.</summary>
/// <param name="Kind">none, ref (git merge base, measured interleaved in this run), or results (a stored results.json).</param>
/// <param name="Ref">The ref the user named (e.g. origin/main).</param>
/// <param name="Commit">The merge-base commit actually used.</param>
/// <param name="ResultsPath">The stored results file, for Kind = results.</param>
/// <param name="Note">Why there is no baseline, or what limited it.</param>
public sealed record BaselineInfo(string Kind, string? Ref = null, string? Commit = null, string? ResultsPath = null, string? Note = null)
{
    public static BaselineInfo None(string? note = null) => new("none", Note: note);
}
