using PipelineGate.Publish.AzureDevOps;
using PipelineGate.Publish.GitHub;

namespace PipelineGate.Publish;

/// <summary>Picks the publisher for <c>--publish</c>; auto asks the <see cref="CiEnvironment"/>.</summary>
public static class Publishers
{
    public static IPublisher Create(PublishMode mode, CiEnvironment environment, TextWriter log, RetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Resolve(mode) switch
        {
            PublishMode.GitHub => new GitHubPublisher(environment, log, retry ?? RetryOptions.From(environment)),
            PublishMode.AzureDevOps => new AzureDevOpsPublisher(environment, log, retry ?? RetryOptions.From(environment)),
            _ => new NullPublisher(),
        };
    }
}
