using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>A budget read on its own, with the nodes that checks against its model report at.</summary>
internal sealed record ParsedBudget(
    BudgetConfig Budget,
    MetricInfo Metric,
    string? Model,
    YamlNode Node,
    YamlNode MetricNode,
    YamlNode? VariantNode,
    YamlNode? TargetNode,
    YamlNode? ModelNode,
    YamlNode LimitNode)
{
    /// <summary>The value of <c>vs</c>, when written.</summary>
    public YamlNode? VsNode { get; init; }
}
