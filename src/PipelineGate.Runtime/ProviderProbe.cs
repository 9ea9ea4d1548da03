namespace PipelineGate.Runtime;

/// <summary>Whether an execution provider could be loaded here, and ORT's words about it.</summary>
public sealed record ProviderProbe(ExecutionProvider Provider, bool Available, string Detail);
