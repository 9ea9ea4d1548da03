namespace PipelineGate.Publish;

/// <summary>
/// Where a verdict goes: GitHub (comment, check run, annotations, job summary), Azure DevOps (later), or
/// nowhere. A publisher never changes the verdict and never throws for the platform's refusals: what went
/// wrong comes back as coded diagnostics in the <see cref="PublishReport"/>.
/// </summary>
public interface IPublisher
{
    /// <summary>"github", "none": for messages.</summary>
    string Name { get; }

    Task<PublishReport> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);
}
