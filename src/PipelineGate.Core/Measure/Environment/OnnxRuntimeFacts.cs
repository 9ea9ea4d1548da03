using PipelineGate.Diagnostics;

namespace PipelineGate.Measure.Environment;

/// <summary>The ONNX Runtime library in use, or why none could be loaded.</summary>
/// <param name="Version">ORT's version string; null when it did not load.</param>
/// <param name="Flavour">"cpu" or "gpu" (a build with the CUDA provider compiled in); null when it did not load.</param>
/// <param name="LibraryPath">The native library loaded; null when it did not load.</param>
/// <param name="CompiledProviders">ORT's GetAvailableProviders: what was compiled in, not what can load.</param>
/// <param name="Error">Why the library could not be loaded (PG3001, PG3002); null when it loaded.</param>
public sealed record OnnxRuntimeFacts(string? Version, string? Flavour, string? LibraryPath, IReadOnlyList<string> CompiledProviders, Diagnostic? Error);
