using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace PipelineGate.MSBuild.Tests;

/// <summary>What is inside the nupkg: the sourcelink layout, the CLI with ONNX Runtime, and no MSBuild assemblies.</summary>
[Collection(UsesPackage.Name)]
public sealed class PackageLayoutTests(PackageFixture package)
{
    [Fact]
    public void Nothing_MSBuild_ships_is_copied_into_the_package()
    {
        using var zip = ZipFile.OpenRead(package.Nupkg);

        var msbuild = zip.Entries.Where(static e => e.Name.StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase)
            && e.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(static e => e.FullName).ToList();

        Assert.True(msbuild.Count == 0, "MSBuild assemblies inside the package: " + string.Join(", ", msbuild));
    }

    [Fact]
    public void The_task_props_and_targets_sit_where_the_targets_expect_them()
    {
        using var zip = ZipFile.OpenRead(package.Nupkg);
        var names = zip.Entries.Select(static e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("tasks/netstandard2.0/PipelineGate.MSBuild.dll", names);
        Assert.Contains("build/PipelineGate.MSBuild.props", names);
        Assert.Contains("build/PipelineGate.MSBuild.targets", names);
        Assert.Contains("buildMultiTargeting/PipelineGate.MSBuild.targets", names);
        Assert.DoesNotContain(names, static n => n.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public void Tools_holds_the_framework_dependent_CLI_with_ONNX_Runtime_for_every_platform()
    {
        using var zip = ZipFile.OpenRead(package.Nupkg);
        var tools = zip.Entries.Select(static e => e.FullName).Where(static n => n.StartsWith("tools/net10.0/any/", StringComparison.Ordinal)).ToList();

        Assert.Contains("tools/net10.0/any/pipelinegate.dll", tools);
        Assert.Contains("tools/net10.0/any/pipelinegate.runtimeconfig.json", tools);
        Assert.Contains(tools, static n => n.StartsWith("tools/net10.0/any/runtimes/linux-x64/native/libonnxruntime", StringComparison.Ordinal));
        Assert.Contains(tools, static n => n.StartsWith("tools/net10.0/any/runtimes/win-x64/native/onnxruntime", StringComparison.Ordinal));
        Assert.Contains(tools, static n => n.StartsWith("tools/net10.0/any/runtimes/osx-arm64/native/libonnxruntime", StringComparison.Ordinal));
    }

    [Fact]
    public void The_package_is_a_development_dependency_without_dependencies()
    {
        using var zip = ZipFile.OpenRead(package.Nupkg);
        var nuspecEntry = zip.Entries.Single(static e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(static e => e.Name.LocalName == "metadata");

        Assert.Equal("true", metadata.Elements().Single(static e => e.Name.LocalName == "developmentDependency").Value);
        Assert.Equal(package.Version, metadata.Elements().Single(static e => e.Name.LocalName == "version").Value);
        Assert.DoesNotContain(metadata.Descendants(), static e => e.Name.LocalName == "dependency");
    }
}
