using PipelineGate.Diagnostics;

namespace PipelineGate.Publish;

/// <summary>A destination this version cannot publish to: says so once, and the run goes on.</summary>
public sealed class UnavailablePublisher(string name, Diagnostic why) : IPublisher
{
    public string Name => name;

    public Task<PublishReport> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var report = new PublishReport();
        report.Add(why);
        return Task.FromResult(report);
    }
}
