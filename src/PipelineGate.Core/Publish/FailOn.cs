namespace PipelineGate.Publish;

/// <summary>Which outcome makes <c>pipelinegate check</c> exit 1 (<c>--fail-on</c>).</summary>
public enum FailOn
{
    /// <summary>Only a failed budget (the default).</summary>
    Fail,

    /// <summary>A warning too (a timing in the noise band, a <c>severity: warning</c> budget).</summary>
    Warn,

    /// <summary>Nothing: report everything and exit 0, like <c>--warn-only</c>.</summary>
    Never,
}
