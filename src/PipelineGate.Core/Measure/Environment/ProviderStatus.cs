namespace PipelineGate.Measure.Environment;

/// <summary>One execution provider: compiled into the library, loadable here, and what to install when it is not.</summary>
/// <param name="Name">PipelineGate's name: CPU, CUDA or TensorRT.</param>
/// <param name="OrtName">ONNX Runtime's name (CUDAExecutionProvider).</param>
/// <param name="Compiled">Listed by ORT's GetAvailableProviders.</param>
/// <param name="Available">Appending it to session options succeeded: it loads on this machine.</param>
/// <param name="Detail">The probe's words; for a provider that does not load, ORT's reason.</param>
/// <param name="Install">What to install to make it load; null when it loads.</param>
public sealed record ProviderStatus(string Name, string OrtName, bool Compiled, bool Available, string Detail, string? Install);
