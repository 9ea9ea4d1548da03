using System.Security;

namespace PipelineGate.IO;

/// <summary>
/// The one-package project that <c>dotnet restore</c> is run on to download a pinned NuGet package (a
/// <c>PackageDownload</c> of exactly that version, no central package management), so the user's NuGet.config and
/// feeds apply as for any restore. Used by <c>fetch:</c> and by the test assets.
/// </summary>
public static class PackageDownloadProject
{
    /// <summary>The name of the project file <see cref="Write"/> writes.</summary>
    public const string FileName = "fetch.csproj";

    /// <summary>Writes the project for <paramref name="id"/> <paramref name="version"/> into <paramref name="folder"/> (which must exist).</summary>
    public static void Write(string folder, string id, string version) =>
        File.WriteAllText(Path.Combine(folder, FileName), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageDownload Include="{SecurityElement.Escape(id)}" Version="[{SecurityElement.Escape(version)}]" />
              </ItemGroup>
            </Project>
            """);
}
