using System.Runtime.InteropServices;
using PipelineGate.Runtime.Native;

namespace PipelineGate.Runtime.Handles;

/// <summary>
/// Base of the safe handles over ORT objects: each concrete handle names the one release function
/// that frees its kind of object, and is released exactly once, even when user code forgets Dispose.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    private readonly OrtApiSlot _release;

    protected OrtHandle(nint handle, OrtApiSlot release)
        : base(0, ownsHandle: true)
    {
        _release = release;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.Release(_release, handle);
        return true;
    }
}

internal sealed class SessionHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseSession);

internal sealed class SessionOptionsHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseSessionOptions);

internal sealed class ValueHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseValue);

internal sealed class RunOptionsHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseRunOptions);

internal sealed class IoBindingHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseIoBinding);

internal sealed class MemoryInfoHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseMemoryInfo);

internal sealed class TypeInfoHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseTypeInfo);

internal sealed class TensorTypeAndShapeInfoHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseTensorTypeAndShapeInfo);

internal sealed class CudaProviderOptionsHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseCUDAProviderOptions);

internal sealed class TensorRTProviderOptionsHandle(nint handle) : OrtHandle(handle, OrtApiSlot.ReleaseTensorRTProviderOptions);
