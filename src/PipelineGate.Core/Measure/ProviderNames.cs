using PipelineGate.Diagnostics;
using PipelineGate.Runtime;

namespace PipelineGate.Measure;

/// <summary>
/// The one spelling table for execution providers, read by the command line (--provider) and the config
/// (targets): cpu, cuda, tensorrt, and trt, TensorRT's usual short name. A provider's canonical name is
/// what results and reports show, whichever spelling chose it.
/// </summary>
public static class ProviderNames
{
    /// <summary>Every accepted name, canonical ones first; the config schema's enum lists exactly these.</summary>
    public static IReadOnlyList<string> Accepted { get; } = ["cpu", "cuda", "tensorrt", "trt"];

    /// <summary>Exact (lower-case) names only: a config value is written as documented.</summary>
    public static bool TryParse(string? name, out ExecutionProvider provider)
    {
        switch (name)
        {
            case "cpu":
                provider = ExecutionProvider.Cpu;
                return true;
            case "cuda":
                provider = ExecutionProvider.Cuda;
                return true;
            case "tensorrt" or "trt":
                provider = ExecutionProvider.TensorRT;
                return true;
            default:
                provider = ExecutionProvider.Cpu;
                return false;
        }
    }

    public static string Canonical(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Cuda => "cuda",
        ExecutionProvider.TensorRT => "tensorrt",
        _ => "cpu",
    };

    /// <summary>
    /// A command-line value: any case, empty meaning cpu (the option's default). Anything else is a
    /// usage error (PG1010), because a typo must not silently measure on the CPU.
    /// </summary>
    public static ExecutionProvider ParseArgument(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ExecutionProvider.Cpu;
        }

        return TryParse(value.ToLowerInvariant(), out var provider)
            ? provider
            : throw new PipelineGateException(PgCode.UsageInvalidArgument, $"Unknown provider '{value}'; expected cpu, cuda or tensorrt.");
    }
}
