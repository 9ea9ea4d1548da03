using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime;

/// <summary>
/// A custom-op shared library the config allows for a model (<c>custom-op-libraries: [{ path, sha256 }]</c>).
/// No other library is ever registered with a session. The file is hashed right before ONNX Runtime loads it,
/// so a library that changed since the config was written is refused, not run.
/// </summary>
/// <param name="Path">Absolute path of the library.</param>
/// <param name="Sha256">The SHA-256 the config pins, 64 lower-case hex digits.</param>
/// <param name="ConfigFile">The config that allows it (named in errors), or null.</param>
/// <param name="Line">The config line of the entry, or null.</param>
public sealed record CustomOpLibrary(string Path, string Sha256, string? ConfigFile = null, int? Line = null)
{
    /// <summary>The SHA-256 of a file as 64 lower-case hex digits.</summary>
    public static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Checks the file against the pinned hash (PG1023 missing, PG1024 different) and registers it (PG3012 when ORT refuses it).</summary>
    internal void Register(SessionOptions options)
    {
        string actual;
        try
        {
            actual = HashOf(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PipelineGateException(PgCode.CustomOpLibraryNotFound,
                $"The custom-op library '{Path}' allowed by the config cannot be read ({ex.Message}).", ConfigFile, Line,
                hint: "Build or commit the library at that path (relative to the config's folder), or remove the entry.");
        }

        if (!string.Equals(actual, Sha256, StringComparison.Ordinal))
        {
            throw new PipelineGateException(PgCode.CustomOpLibraryHashMismatch,
                $"The custom-op library '{Path}' has SHA-256 {actual}, but the config allows only {Sha256}: it was not loaded.", ConfigFile, Line,
                hint: "If the library was rebuilt on purpose, put its new hash in 'sha256' (sha256sum prints it); otherwise find out who changed it.");
        }

        try
        {
            options.RegisterCustomOpLibrary(Path);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new PipelineGateException(PgCode.CustomOpLibraryRejected,
                $"ONNX Runtime refused the custom-op library '{Path}': {OrtErrors.Clean(ex.Message)}", ConfigFile, Line,
                hint: "The library must be a shared library for this platform exporting RegisterCustomOps, built against ONNX Runtime's C API of a version not newer than the one PipelineGate runs (pipelinegate doctor names it).", inner: ex);
        }
    }
}
