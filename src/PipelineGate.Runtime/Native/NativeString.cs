using System.Runtime.InteropServices;

namespace PipelineGate.Runtime.Native;

/// <summary>
/// A NUL-terminated copy of a managed string in native memory: UTF-8 for names and options, and the
/// platform's ORTCHAR_T for paths (UTF-16 on Windows, UTF-8 elsewhere). Freed on dispose.
/// </summary>
internal readonly struct NativeString : IDisposable
{
    private NativeString(nint pointer) => Pointer = pointer;

    public nint Pointer { get; }

    public static NativeString Utf8(string value) => new(Marshal.StringToCoTaskMemUTF8(value));

    public static NativeString OrtPath(string path) =>
        new(OperatingSystem.IsWindows() ? Marshal.StringToCoTaskMemUni(path) : Marshal.StringToCoTaskMemUTF8(path));

    public void Dispose()
    {
        if (Pointer != 0)
        {
            Marshal.FreeCoTaskMem(Pointer);
        }
    }
}

/// <summary>An array of UTF-8 strings in native memory (char**), for name and key/value lists.</summary>
internal sealed class NativeStringArray : IDisposable
{
    private readonly NativeString[] _strings;

    public NativeStringArray(IReadOnlyList<string> values)
    {
        _strings = values.Select(NativeString.Utf8).ToArray();
        Pointer = Marshal.AllocCoTaskMem(Math.Max(1, _strings.Length) * IntPtr.Size);
        for (var i = 0; i < _strings.Length; i++)
        {
            Marshal.WriteIntPtr(Pointer, i * IntPtr.Size, _strings[i].Pointer);
        }
    }

    public nint Pointer { get; }

    public int Count => _strings.Length;

    public void Dispose()
    {
        foreach (var s in _strings)
        {
            s.Dispose();
        }

        Marshal.FreeCoTaskMem(Pointer);
    }
}
