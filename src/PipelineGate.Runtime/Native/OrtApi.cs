using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime.Native;

/// <summary>
/// The ONNX Runtime C API function table. ORT hands out one <c>OrtApi</c> struct of function
/// pointers; we never marshal the struct, we read slot N at offset N × pointer size (slots are
/// append-only, see <see cref="OrtApiSlot"/>) and call through <c>delegate* unmanaged</c>, which costs
/// what a C call costs. Every call that returns <c>OrtStatus*</c> goes through <see cref="Check"/>,
/// which copies the message out and always releases the status.
/// </summary>
internal sealed unsafe partial class OrtApi
{
    /// <summary>
    /// The API version requested. 23 covers every function bound here (GetTensorSizeInBytes is the
    /// newest); asking for no more than needed keeps older and newer ORT builds usable as overrides.
    /// </summary>
    public const uint ApiVersion = 23;

    private static readonly Lazy<OrtApi> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly nint* _table;

    private OrtApi(nint* table, string libraryPath, string version)
    {
        _table = table;
        LibraryPath = libraryPath;
        Version = version;
    }

    public static OrtApi Instance => Shared.Value;

    /// <summary>Path the library was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>ORT's own version string, e.g. 1.30.0.</summary>
    public string Version { get; }

    private static OrtApi Create()
    {
        var (handle, path) = NativeLibraryLocator.Load();
        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
        {
            throw new PipelineGateException(PgCode.NativeLibraryIncompatible,
                $"'{path}' does not export OrtGetApiBase; it is not an ONNX Runtime library.", path,
                hint: $"Point {NativeLibraryLocator.OverrideVariable} at libonnxruntime itself.");
        }

        var apiBase = ((delegate* unmanaged<nint*>)getApiBase)();

        // OrtApiBase is { GetApi(uint32) at offset 0, GetVersionString() at offset 1 × pointer }.
        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)apiBase[1])()) ?? "unknown";
        var table = ((delegate* unmanaged<uint, nint*>)apiBase[0])(ApiVersion);
        if (table is null)
        {
            throw new PipelineGateException(PgCode.NativeLibraryIncompatible,
                $"ONNX Runtime {version} at '{path}' does not offer C API version {ApiVersion}; PipelineGate needs ONNX Runtime 1.{ApiVersion} or newer.", path,
                hint: $"Use a newer ONNX Runtime build, or unset {NativeLibraryLocator.OverrideVariable} to use the bundled {NativeLibraryLocator.BundledVersion}.");
        }

        return new OrtApi(table, path, version);
    }

    /// <summary>The raw function pointer of a slot.</summary>
    public nint this[OrtApiSlot slot] => _table[(int)slot];

    /// <summary>Throws a coded exception for a non-null status, after copying its message and releasing it.</summary>
    public void Check(nint status, PgCode code, string context, string? file = null)
    {
        if (status == 0)
        {
            return;
        }

        var errorCode = ((delegate* unmanaged<nint, int>)this[OrtApiSlot.GetErrorCode])(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)this[OrtApiSlot.GetErrorMessage])(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new OrtException(new Diagnostic(code, DiagnosticSeverity.Error, $"{context}: {message.Trim()}", file), (OrtErrorCode)errorCode);
    }

    public void ReleaseStatus(nint status) => ((delegate* unmanaged<nint, void>)this[OrtApiSlot.ReleaseStatus])(status);

    /// <summary>Calls a release function (void ReleaseX(OrtX*)); used by the safe handles.</summary>
    public void Release(OrtApiSlot slot, nint handle) => ((delegate* unmanaged<nint, void>)this[slot])(handle);

    public string BuildInfo() => Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)this[OrtApiSlot.GetBuildInfoString])()) ?? string.Empty;
}
