using PipelineGate.Diagnostics;
using PipelineGate.Runtime.Handles;
using PipelineGate.Runtime.Native;

namespace PipelineGate.Runtime;

/// <summary>Turns a <see cref="SessionConfig"/> into native session options, validating what ORT would silently accept.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>Prefixes of the session config keys ORT defines; ORT ignores unknown keys, so a typo would go unnoticed.</summary>
    private static readonly string[] KnownKeyPrefixes = ["session.", "optimization.", "ep.", "mlas.", "kernel."];

    public static SessionOptionsHandle Create(SessionConfig config)
    {
        Validate(config);
        var api = OrtApi.Instance;
        var handle = new SessionOptionsHandle(api.CreateSessionOptions());
        try
        {
            var o = handle.DangerousGetHandle();
            api.SetIntOption(OrtApiSlot.SetIntraOpNumThreads, o, config.IntraOpThreads, "intra-op threads");
            api.SetIntOption(OrtApiSlot.SetInterOpNumThreads, o, config.InterOpThreads, "inter-op threads");
            api.SetIntOption(OrtApiSlot.SetSessionGraphOptimizationLevel, o, (int)config.Optimization, "graph optimization level");
            api.SetIntOption(OrtApiSlot.SetSessionExecutionMode, o, config.ParallelExecution ? 1 : 0, "execution mode");
            api.SetIntOption(OrtApiSlot.SetSessionLogSeverityLevel, o, (int)OrtEnvironment.MinimumLevel, "log severity");
            api.CallOption(config.MemoryArena ? OrtApiSlot.EnableCpuMemArena : OrtApiSlot.DisableCpuMemArena, o, "memory arena");
            if (config.ProfilingPrefix is { } prefix)
            {
                api.SetPathOption(OrtApiSlot.EnableProfiling, o, prefix, "profiling prefix");
            }

            if (config.OptimizedModelPath is { } optimized)
            {
                api.SetPathOption(OrtApiSlot.SetOptimizedModelFilePath, o, optimized, "optimized model path");
            }

            foreach (var (name, value) in config.FreeDimensions)
            {
                api.AddFreeDimensionOverrideByName(o, name, value);
            }

            foreach (var (key, value) in config.ConfigEntries)
            {
                api.AddSessionConfigEntry(o, key, value);
            }

            ExecutionProviders.Append(handle, config);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Validate(SessionConfig config)
    {
        if (config.IntraOpThreads < 0 || config.InterOpThreads < 0)
        {
            throw new PipelineGateException(PgCode.InvalidSessionOption,
                $"Thread counts must be 0 (let ONNX Runtime choose) or positive; got intra-op {config.IntraOpThreads}, inter-op {config.InterOpThreads}.");
        }

        foreach (var (name, value) in config.FreeDimensions)
        {
            if (value <= 0)
            {
                throw new PipelineGateException(PgCode.InvalidSessionOption, $"Free dimension '{name}' must be fixed to a positive size; got {value}.");
            }
        }

        foreach (var key in config.ConfigEntries.Keys)
        {
            if (!KnownKeyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                throw new PipelineGateException(PgCode.InvalidSessionOption,
                    $"'{key}' is not an ONNX Runtime session config key (they start with {string.Join(", ", KnownKeyPrefixes)}). ONNX Runtime would ignore it silently.",
                    hint: "Check the key's spelling against onnxruntime_session_options_config_keys.h.");
            }
        }
    }
}
