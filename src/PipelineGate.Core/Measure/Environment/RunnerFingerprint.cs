using System.Runtime.InteropServices;
using PipelineGate.Runtime;

namespace PipelineGate.Measure.Environment;

/// <summary>
/// What a timing was measured on. Timings are only compared between equal fingerprints (same CPU
/// model, core count, ISA, ONNX Runtime version, provider and its options, thread settings);
/// <see cref="DifferencesFrom"/> names what differs so that a comparison across them is never silent.
/// </summary>
public sealed record RunnerFingerprint
{
    public required string CpuModel { get; init; }

    public required int LogicalCores { get; init; }

    /// <summary>Instruction-set extensions that change which kernels ORT picks: avx2, avx512f, avx512_vnni, avx_vnni, amx.</summary>
    public required IReadOnlyList<string> IsaFlags { get; init; }

    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public required string OnnxRuntimeVersion { get; init; }

    public required string Provider { get; init; }

    public required IReadOnlyDictionary<string, string> ProviderOptions { get; init; }

    public required int IntraOpThreads { get; init; }

    public required int InterOpThreads { get; init; }

    public required string GraphOptimization { get; init; }

    public static RunnerFingerprint Capture(SessionConfig config) => new()
    {
        CpuModel = CpuInfo.ModelName(),
        LogicalCores = System.Environment.ProcessorCount,
        IsaFlags = CpuInfo.IsaFlags(),
        Os = RuntimeInformation.OSDescription,
        Architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        OnnxRuntimeVersion = OrtEnvironment.Version,
        Provider = ExecutionProviders.Name(config.Provider),
        ProviderOptions = new SortedDictionary<string, string>(config.ProviderOptions.ToDictionary(), StringComparer.Ordinal),
        IntraOpThreads = config.IntraOpThreads,
        InterOpThreads = config.InterOpThreads,
        GraphOptimization = config.Optimization.ToString(),
    };

    /// <summary>Human-readable differences that make timings incomparable; empty when comparable.</summary>
    public IReadOnlyList<string> DifferencesFrom(RunnerFingerprint other)
    {
        var d = new List<string>();
        void Check(string what, string a, string b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                d.Add($"{what}: {b} vs {a}");
            }
        }

        Check("CPU", CpuModel, other.CpuModel);
        Check("cores", LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture), other.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("ISA", string.Join(",", IsaFlags), string.Join(",", other.IsaFlags));
        Check("architecture", Architecture, other.Architecture);
        Check("ONNX Runtime", OnnxRuntimeVersion, other.OnnxRuntimeVersion);
        Check("provider", Provider, other.Provider);
        Check("provider options", string.Join(";", ProviderOptions.Select(static kv => $"{kv.Key}={kv.Value}")), string.Join(";", other.ProviderOptions.Select(static kv => $"{kv.Key}={kv.Value}")));
        Check("intra-op threads", IntraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture), other.IntraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("inter-op threads", InterOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture), other.InterOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("graph optimization", GraphOptimization, other.GraphOptimization);
        return d;
    }

    /// <summary>One line for reports: "AMD EPYC 9R45 · 2 cores · avx2, avx512f, avx512_vnni · ORT 1.30.0 CPU · 1 thread".</summary>
    public string Describe() =>
        $"{CpuModel} · {LogicalCores} logical cores · {(IsaFlags.Count > 0 ? string.Join(", ", IsaFlags) : "no AVX2")} · ONNX Runtime {OnnxRuntimeVersion} {Provider} · {IntraOpThreads} intra-op thread{(IntraOpThreads == 1 ? "" : "s")}";
}
