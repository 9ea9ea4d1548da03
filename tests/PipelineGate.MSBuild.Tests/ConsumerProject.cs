using System.Text;

namespace PipelineGate.MSBuild.Tests;

/// <summary>
/// A fresh class library in its own temp folder that references the package from the local feed, with the
/// digits sample model and its evaluation data beside a pipelinegate.yml: what a user's repository looks like.
/// </summary>
internal sealed class ConsumerProject
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly PackageFixture _package;

    public ConsumerProject(PackageFixture package, string name, string? config, string extraProjectXml = "")
    {
        _package = package;
        Directory = Path.Combine(package.Root, "consumers", name);
        System.IO.Directory.CreateDirectory(Directory);

        File.WriteAllText(Path.Combine(Directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageFixture.PackageId}" Version="[{package.Version}]" />
              </ItemGroup>
            {extraProjectXml}
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, "Greeter.cs"), "namespace Consumer;\n\npublic static class Greeter\n{\n    public static string Hello() => \"hello\";\n}\n");
        File.WriteAllText(Path.Combine(Directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{package.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        var sample = Path.Combine(PackageFixture.RepoRoot, "samples", "digits");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "digits", "eval"));
        File.Copy(Path.Combine(sample, "digits_mlp.onnx"), ModelPath);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(sample, "eval")))
        {
            File.Copy(file, Path.Combine(Directory, "digits", "eval", Path.GetFileName(file)));
        }

        if (config is not null)
        {
            File.WriteAllText(ConfigPath, config);
        }
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "pipelinegate.yml");

    public string ModelPath => Path.Combine(Directory, "digits", "digits_mlp.onnx");

    public string ResultsPath => Path.Combine(Directory, "obj", "pipelinegate", "results.json");

    /// <summary>Runs `dotnet build` (restore included) with the classic console logger, so lines are canonical.</summary>
    public DotnetProcess.Result Build(params string[] args) => Build(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Build(string[])"/>, with more environment variables for the build (and so for the CLI it runs).</summary>
    public DotnetProcess.Result Build(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        DotnetProcess.Run(Directory, BuildTimeout, new Dictionary<string, string>(environment) { ["NUGET_PACKAGES"] = _package.PackagesFolder },
            ["build", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:m", .. args]);

    /// <summary>
    /// Makes the folder a git repository with everything committed, and that commit as origin/main: what a pull
    /// request's checkout looks like when the change has not touched the model (the PR profile's baseline).
    /// </summary>
    public void CommitAsOriginMain()
    {
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "base");
        Git("update-ref", "refs/remotes/origin/main", "HEAD");
    }

    private void Git(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error.Result}");
        }
    }

    /// <summary>The 1-based line and column of the flow mapping on the first line that contains <paramref name="text"/>.</summary>
    public (int Line, int Column) Locate(string text)
    {
        var lines = File.ReadAllLines(ConfigPath);
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return (index + 1, lines[index].IndexOf('{', StringComparison.Ordinal) + 1);
    }

    /// <summary>
    /// Changes the model's bytes without breaking it: appends a doc_string field (ModelProto field 6), which
    /// protobuf readers take as the new value of that field. The model still loads and measures the same.
    /// </summary>
    public void EditModelDocString(string docString)
    {
        var text = Encoding.UTF8.GetBytes(docString);
        using var stream = new FileStream(ModelPath, FileMode.Append);
        stream.WriteByte((6 << 3) | 2); // field 6, length-delimited
        stream.WriteByte(checked((byte)text.Length));
        stream.Write(text);
    }
}
