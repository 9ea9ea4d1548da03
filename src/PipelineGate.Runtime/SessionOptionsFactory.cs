using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime;

/// <summary>Turns a <see cref="SessionConfig"/> into native session options, validating what ORT would silently accept.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>Prefixes of the session config keys ORT defines; ORT ignores unknown keys, so a typo would go unnoticed.</summary>
    private static readonly string[] KnownKeyPrefixes = ["session.", "optimization.", "ep.", "mlas.", "kernel."];

    public static SessionOptions Create(SessionConfig config)
    {
        Validate(config);
        var o = new SessionOptions();
        try
        {
            o.IntraOpNumThreads = config.IntraOpThreads;
            o.InterOpNumThreads = config.InterOpThreads;
            o.GraphOptimizationLevel = (GraphOptimizationLevel)(int)config.Optimization;
            o.ExecutionMode = config.ParallelExecution ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL;
            o.LogSeverityLevel = (OrtLoggingLevel)(int)OrtEnvironment.MinimumLevel;
            o.EnableCpuMemArena = config.MemoryArena;
            if (config.ProfilingPrefix is { } prefix)
            {
                o.EnableProfiling = true;
                o.ProfileOutputPathPrefix = prefix;
            }

            if (config.OptimizedModelPath is { } optimized)
            {
                o.OptimizedModelFilePath = optimized;
            }

            foreach (var (name, value) in config.FreeDimensions)
            {
                o.AddFreeDimensionOverrideByName(name, value);
            }

            foreach (var (key, value) in config.ConfigEntries)
            {
                o.AddSessionConfigEntry(key, value);
            }

            foreach (var library in config.CustomOpLibraries)
            {
                library.Register(o);
            }

            ExecutionProviders.Append(o, config);
            return o;
        }
        catch (OnnxRuntimeException ex)
        {
            o.Dispose();
            throw OrtErrors.Wrap(ex, PgCode.InvalidSessionOption, "ONNX Runtime refused a session option");
        }
        catch
        {
            o.Dispose();
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
