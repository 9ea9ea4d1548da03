namespace PipelineGate.Gate.Fetch;

/// <summary>A fetched file in the cache.</summary>
/// <param name="Path">Its absolute path, <c>&lt;cache&gt;/fetched/&lt;sha256&gt;/&lt;resource&gt;</c>.</param>
/// <param name="Written">True when this call wrote it; false when it was already cached (by this or another process).</param>
public sealed record FetchResult(string Path, bool Written);
