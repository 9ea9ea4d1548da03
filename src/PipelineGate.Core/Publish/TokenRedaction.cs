using PipelineGate.Diagnostics;

namespace PipelineGate.Publish;

/// <summary>
/// Takes a token out of any text before it reaches a log, a report or a diagnostic: a message that a
/// platform or the network stack built may quote the Authorization header back. One rule for every door.
/// </summary>
internal static class TokenRedaction
{
    public static string Redact(string text, string? token) =>
        token is { Length: > 0 } t ? text.Replace(t, "***", StringComparison.Ordinal) : text;

    public static Diagnostic Redacted(Diagnostic d, string? token) =>
        d with { Message = Redact(d.Message, token), Hint = d.Hint is null ? null : Redact(d.Hint, token) };
}
