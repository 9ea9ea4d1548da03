namespace PipelineGate.Runtime;

/// <summary>ORT graph optimization levels (GraphOptimizationLevel), with ORT's numbering.</summary>
public enum GraphOptimization
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}
