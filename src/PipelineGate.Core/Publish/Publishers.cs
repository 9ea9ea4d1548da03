using PipelineGate.Diagnostics;
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
            PublishMode.AzureDevOps => new UnavailablePublisher("azure-devops", new Diagnostic(PgCode.PublishUnsupported, DiagnosticSeverity.Warning,
                "Publishing to Azure DevOps is not built in this version: nothing was published.",
                Hint: "Publish report.md from the output folder with a script step until the Azure DevOps publisher ships.")),
            _ => new NullPublisher(),
        };
    }
}
