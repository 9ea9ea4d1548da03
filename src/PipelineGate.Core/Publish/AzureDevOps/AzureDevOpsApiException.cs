using System.Net;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>A call Azure DevOps answered with a non-success status, with the server's own message when it sent one.</summary>
internal sealed class AzureDevOpsApiException(HttpStatusCode status, string? serverMessage, TimeSpan? retryAfter)
    : Exception($"Azure DevOps answered {(int)status}{(serverMessage is { Length: > 0 } m ? ": " + m : string.Empty)}")
{
    public HttpStatusCode Status { get; } = status;

    public string? ServerMessage { get; } = serverMessage;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
