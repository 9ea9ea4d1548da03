using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>
/// A temporary folder with the files configs in these tests point at, and helpers to load YAML written
/// there. Environment variables come only from the test, never from the machine running it.
/// </summary>
internal sealed class ConfigDir : IDisposable
{
    public ConfigDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "pg-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Touch("m.onnx");
        Touch("other.onnx");
        Touch("models/a b.onnx");
        Touch("data.npy");
        Touch("data.txt");
        Directory.CreateDirectory(Path.Combine(Root, "eval"));
        Directory.CreateDirectory(Path.Combine(Root, "calib"));
    }

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "pipelinegate.yml");

    public void Touch(string relative)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, []);
    }

    public GateConfig Load(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        File.WriteAllText(ConfigPath, yaml);
        return ConfigLoader.Load(ConfigPath, environment ?? new Dictionary<string, string>());
    }

    public IReadOnlyList<Diagnostic> Errors(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        var e = Assert.Throws<ConfigException>(() => Load(yaml, environment));
        Assert.Equal(e.Diagnostics[0], e.Diagnostic);
        Assert.All(e.Diagnostics, d => Assert.Equal(ConfigPath, d.File));
        return e.Diagnostics;
    }

    /// <summary>The one diagnostic the YAML produces, checked for its code, line and column.</summary>
    public Diagnostic Error(string yaml, PgCode code, int line, int column, IReadOnlyDictionary<string, string>? environment = null)
    {
        var all = Errors(yaml, environment);
        var d = Assert.Single(all);
        Assert.True(d.Code == code && d.Line == line && d.Column == column, $"Expected {code} at ({line},{column}), got: {d}");
        return d;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
