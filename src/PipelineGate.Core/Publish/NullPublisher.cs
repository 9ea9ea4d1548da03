namespace PipelineGate.Publish;

/// <summary><c>--publish none</c>: the files in the output folder are the whole report.</summary>
public sealed class NullPublisher : IPublisher
{
    public string Name => "none";

    public Task<PublishReport> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PublishReport());
}
