using PipelineGate.Gate.Results;

namespace PipelineGate.Publish;

/// <summary>
/// The local command that gives the same verdict, rebuilt from stored results for <c>publish</c> and
/// <c>merge</c> (which did not run the gate themselves): the config below the repository root, the
/// profile and the baseline as recorded.
/// </summary>
public static class ReproduceCommand
{
    public static string From(GateResult result, GateKey key)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(key);
        var config = key.Value.Split('#')[0];
        var parts = new List<string> { "pipelinegate check", "--config " + config };
        if (result.Profile is { Length: > 0 } profile)
        {
            parts.Add("--profile " + profile);
        }

        if (result.Baseline is { Kind: "ref", Ref: { Length: > 0 } r })
        {
            parts.Add("--baseline-ref " + r);
        }

        return string.Join(' ', parts);
    }
}
