using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime;

/// <summary>Turns the managed API's exceptions into coded <see cref="OrtException"/>s carrying ORT's own words and error code.</summary>
internal static class OrtErrors
{
    public static T Call<T>(Func<T> action, PgCode code, string context, string? file = null)
    {
        try
        {
            return action();
        }
        catch (OnnxRuntimeException ex)
        {
            throw Wrap(ex, code, context, file);
        }
    }

    public static void Call(Action action, PgCode code, string context, string? file = null) =>
        Call<object?>(() =>
        {
            action();
            return null;
        }, code, context, file);

    public static OrtException Wrap(OnnxRuntimeException ex, PgCode code, string context, string? file = null) =>
        new(new Diagnostic(code, DiagnosticSeverity.Error, $"{context}: {Clean(ex.Message)}", file), CodeOf(ex.Message), ex);

    /// <summary>The managed API keeps ORT's error code only in the message's "[ErrorCode:Name]" prefix.</summary>
    public static OrtErrorCode CodeOf(string message)
    {
        const string Prefix = "[ErrorCode:";
        var m = message.TrimStart();
        var end = m.IndexOf(']', StringComparison.Ordinal);
        if (!m.StartsWith(Prefix, StringComparison.Ordinal) || end < 0)
        {
            return OrtErrorCode.Fail;
        }

        var name = m[Prefix.Length..end];
        if (string.Equals(name, "EPFail", StringComparison.OrdinalIgnoreCase))
        {
            return OrtErrorCode.EpFail;
        }

        return Enum.TryParse<OrtErrorCode>(name, ignoreCase: true, out var code) ? code : OrtErrorCode.Fail;
    }

    /// <summary>ORT's messages start with "[ErrorCode:Fail] "; the code is kept separately.</summary>
    public static string Clean(string message)
    {
        var m = message.Trim();
        if (m.StartsWith("[ErrorCode:", StringComparison.Ordinal) && m.IndexOf(']', StringComparison.Ordinal) is var end and > 0)
        {
            m = m[(end + 1)..].Trim();
        }

        // Provider-bridge failures carry a source location and a second code: "/onnxruntime_src/….cc:2043
        // onnxruntime::Provider& …::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library …".
        const string Marker = "[ONNXRuntimeError] :";
        if (m.IndexOf(Marker, StringComparison.Ordinal) is var at and >= 0)
        {
            var rest = m[(at + Marker.Length)..];
            var parts = rest.Split(" : ", 3, StringSplitOptions.None);
            m = (parts.Length == 3 ? parts[2] : rest).Trim();
        }

        return m.Length == 0 ? "(no message)" : m;
    }
}
