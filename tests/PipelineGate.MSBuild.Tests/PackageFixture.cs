using System.Reflection;
using Xunit;

namespace PipelineGate.MSBuild.Tests;

/// <summary>
/// Packs PipelineGate.MSBuild once per test run into a local feed in a temp folder. The version is unique
/// per run, so no NuGet cache anywhere can hand back an older package of the same version, and consumers
/// restore into a private packages folder that is deleted with the rest.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public const string PackageId = "PipelineGate.MSBuild";

    // Cold, this builds every project and publishes the CLI; warm (after the solution build), about 30 s.
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);

    public PackageFixture()
    {
        Root = Directory.CreateTempSubdirectory("pg-msbuild-").FullName;
        Feed = Path.Combine(Root, "feed");
        PackagesFolder = Path.Combine(Root, "packages");
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.r{Guid.NewGuid().ToString("N")[..8]}";

        try
        {
            var project = Path.Combine(RepoRoot, "src", "PipelineGate.MSBuild", "PipelineGate.MSBuild.csproj");
            var pack = DotnetProcess.Run(RepoRoot, PackTimeout, null,
                "pack", project, "-c", Configuration, "-o", Feed, "-p:PackageVersion=" + Version,
                "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");
            PackDuration = pack.Duration;
            Nupkg = Path.Combine(Feed, $"{PackageId}.{Version}.nupkg");
            if (pack.ExitCode != 0 || !File.Exists(Nupkg))
            {
                throw new InvalidOperationException($"dotnet pack of {PackageId} failed; no test can run without the package.\n{pack}");
            }
        }
        catch
        {
            Dispose(); // xunit never disposes a fixture whose constructor threw
            throw;
        }
    }

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The temp folder holding the feed, the private packages folder and every consumer.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string PackagesFolder { get; }

    public string Version { get; }

    public string Nupkg { get; }

    public TimeSpan PackDuration { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (by a process the OS has not reaped yet) only leaves a temp folder behind.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Metadata(string key) =>
        typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>Every test that needs the package shares one pack and runs one at a time (two cores, real builds).</summary>
[CollectionDefinition(Name)]
public sealed class UsesPackage : ICollectionFixture<PackageFixture>
{
    public const string Name = "PipelineGate.MSBuild package";
}
