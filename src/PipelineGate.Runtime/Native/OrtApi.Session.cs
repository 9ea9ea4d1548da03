using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime.Native;

/// <summary>Env, session options, execution providers and sessions.</summary>
internal sealed unsafe partial class OrtApi
{
    public nint CreateEnvWithCustomLogger(delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void> logger, int level, string logId)
    {
        using var id = NativeString.Utf8(logId);
        nint env;
        Check(((delegate* unmanaged<nint, nint, int, nint, nint*, nint>)this[OrtApiSlot.CreateEnvWithCustomLogger])((nint)logger, 0, level, id.Pointer, &env),
            PgCode.SessionCreateFailed, "Creating the ONNX Runtime environment failed");
        return env;
    }

    public nint CreateSessionOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)this[OrtApiSlot.CreateSessionOptions])(&options), PgCode.InvalidSessionOption, "Creating session options failed");
        return options;
    }

    public void SetIntOption(OrtApiSlot slot, nint options, int value, string what) =>
        Check(((delegate* unmanaged<nint, int, nint>)this[slot])(options, value), PgCode.InvalidSessionOption, $"Setting {what} to {value} failed");

    public void CallOption(OrtApiSlot slot, nint options, string what) =>
        Check(((delegate* unmanaged<nint, nint>)this[slot])(options), PgCode.InvalidSessionOption, $"Setting {what} failed");

    public void SetPathOption(OrtApiSlot slot, nint options, string path, string what)
    {
        using var p = NativeString.OrtPath(path);
        Check(((delegate* unmanaged<nint, nint, nint>)this[slot])(options, p.Pointer), PgCode.InvalidSessionOption, $"Setting {what} to '{path}' failed");
    }

    public void AddSessionConfigEntry(nint options, string key, string value)
    {
        using var k = NativeString.Utf8(key);
        using var v = NativeString.Utf8(value);
        Check(((delegate* unmanaged<nint, nint, nint, nint>)this[OrtApiSlot.AddSessionConfigEntry])(options, k.Pointer, v.Pointer),
            PgCode.InvalidSessionOption, $"Setting session config entry '{key}' failed");
    }

    public void AddFreeDimensionOverrideByName(nint options, string name, long value)
    {
        using var n = NativeString.Utf8(name);
        Check(((delegate* unmanaged<nint, nint, long, nint>)this[OrtApiSlot.AddFreeDimensionOverrideByName])(options, n.Pointer, value),
            PgCode.InvalidSessionOption, $"Overriding free dimension '{name}' failed");
    }

    /// <summary>Creates V2 provider options (CUDA or TensorRT), fills them, appends them; returns the options object to release.</summary>
    public nint AppendProviderV2(OrtApiSlot create, OrtApiSlot update, OrtApiSlot append, nint sessionOptions, IReadOnlyDictionary<string, string> values, string provider)
    {
        nint providerOptions;
        Check(((delegate* unmanaged<nint*, nint>)this[create])(&providerOptions), PgCode.ProviderUnavailable, $"Creating {provider} provider options failed");
        try
        {
            if (values.Count > 0)
            {
                using var keys = new NativeStringArray(values.Keys.ToArray());
                using var vals = new NativeStringArray(values.Values.ToArray());
                Check(((delegate* unmanaged<nint, nint, nint, nuint, nint>)this[update])(providerOptions, keys.Pointer, vals.Pointer, (nuint)keys.Count),
                    PgCode.InvalidSessionOption, $"Setting {provider} provider options failed");
            }

            Check(((delegate* unmanaged<nint, nint, nint>)this[append])(sessionOptions, providerOptions), PgCode.ProviderUnavailable, $"The {provider} execution provider could not be added");
            return providerOptions;
        }
        catch
        {
            Release(create == OrtApiSlot.CreateCUDAProviderOptions ? OrtApiSlot.ReleaseCUDAProviderOptions : OrtApiSlot.ReleaseTensorRTProviderOptions, providerOptions);
            throw;
        }
    }

    public void AppendExecutionProvider(nint sessionOptions, string name, IReadOnlyDictionary<string, string> values)
    {
        using var n = NativeString.Utf8(name);
        using var keys = new NativeStringArray(values.Keys.ToArray());
        using var vals = new NativeStringArray(values.Values.ToArray());
        Check(((delegate* unmanaged<nint, nint, nint, nint, nuint, nint>)this[OrtApiSlot.SessionOptionsAppendExecutionProvider])(sessionOptions, n.Pointer, keys.Pointer, vals.Pointer, (nuint)keys.Count),
            PgCode.ProviderUnavailable, $"The {name} execution provider could not be added");
    }

    public IReadOnlyList<string> GetAvailableProviders()
    {
        nint list;
        int count;
        Check(((delegate* unmanaged<nint*, int*, nint>)this[OrtApiSlot.GetAvailableProviders])(&list, &count), PgCode.ProviderUnavailable, "Listing execution providers failed");
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Marshal.PtrToStringUTF8(((nint*)list)[i]) ?? string.Empty;
        }

        Check(((delegate* unmanaged<nint, int, nint>)this[OrtApiSlot.ReleaseAvailableProviders])(list, count), PgCode.ProviderUnavailable, "Releasing the provider list failed");
        return result;
    }

    public nint CreateSession(nint env, string path, nint options)
    {
        using var p = NativeString.OrtPath(path);
        nint session;
        Check(((delegate* unmanaged<nint, nint, nint, nint*, nint>)this[OrtApiSlot.CreateSession])(env, p.Pointer, options, &session),
            PgCode.SessionCreateFailed, "ONNX Runtime could not load the model", path);
        return session;
    }

    public nint CreateSessionFromArray(nint env, ReadOnlySpan<byte> model, nint options, string displayName)
    {
        nint session;
        fixed (byte* data = model)
        {
            Check(((delegate* unmanaged<nint, byte*, nuint, nint, nint*, nint>)this[OrtApiSlot.CreateSessionFromArray])(env, data, (nuint)model.Length, options, &session),
                PgCode.SessionCreateFailed, "ONNX Runtime could not load the model", displayName);
        }

        return session;
    }

    public nuint GetCount(OrtApiSlot slot, nint session)
    {
        nuint count;
        Check(((delegate* unmanaged<nint, nuint*, nint>)this[slot])(session, &count), PgCode.SessionCreateFailed, "Reading the session's signature failed");
        return count;
    }

    /// <summary>Input or output name at an index (the name is allocated by ORT's default allocator and freed here).</summary>
    public string GetName(OrtApiSlot slot, nint session, nuint index)
    {
        var allocator = DefaultAllocator();
        nint name;
        Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)this[slot])(session, index, allocator, &name), PgCode.SessionCreateFailed, "Reading a session input/output name failed");
        try
        {
            return Marshal.PtrToStringUTF8(name) ?? string.Empty;
        }
        finally
        {
            Check(((delegate* unmanaged<nint, nint, nint>)this[OrtApiSlot.AllocatorFree])(allocator, name), PgCode.SessionCreateFailed, "Freeing a name failed");
        }
    }

    public nint GetTypeInfo(OrtApiSlot slot, nint session, nuint index)
    {
        nint info;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)this[slot])(session, index, &info), PgCode.SessionCreateFailed, "Reading a session input/output type failed");
        return info;
    }

    public string EndProfiling(nint session)
    {
        var allocator = DefaultAllocator();
        nint name;
        Check(((delegate* unmanaged<nint, nint, nint*, nint>)this[OrtApiSlot.SessionEndProfiling])(session, allocator, &name), PgCode.RunFailed, "Ending profiling failed");
        try
        {
            return Marshal.PtrToStringUTF8(name) ?? string.Empty;
        }
        finally
        {
            Check(((delegate* unmanaged<nint, nint, nint>)this[OrtApiSlot.AllocatorFree])(allocator, name), PgCode.RunFailed, "Freeing a name failed");
        }
    }

    /// <summary>ORT's process-wide CPU allocator; never freed.</summary>
    public nint DefaultAllocator()
    {
        nint allocator;
        Check(((delegate* unmanaged<nint*, nint>)this[OrtApiSlot.GetAllocatorWithDefaultOptions])(&allocator), PgCode.RunFailed, "Getting the default allocator failed");
        return allocator;
    }
}
