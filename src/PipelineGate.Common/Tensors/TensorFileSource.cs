using PipelineGate.Diagnostics;

namespace PipelineGate.Tensors;

/// <summary>
/// Where tensor bytes come from or go to, so that every error names the file and, inside an .npz
/// archive, the entry; the user has to find the culprit among thousands of eval files.
/// </summary>
/// <param name="File">The file (or display name) concerned; null for an anonymous stream.</param>
/// <param name="Entry">The entry inside an archive, if any.</param>
internal readonly record struct TensorFileSource(string? File, string? Entry)
{
    public PipelineGateException Error(PgCode code, string message, string hint, Exception? inner = null)
        => new(code, Entry is null ? message : $"Entry '{Entry}': {message}", File, hint: hint, inner: inner);

    public PipelineGateException Invalid(string message, string hint, Exception? inner = null)
        => Error(PgCode.TensorFileInvalid, message, hint, inner);
}
