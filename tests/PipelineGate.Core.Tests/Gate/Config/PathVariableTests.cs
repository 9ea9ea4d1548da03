using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>${NAME} is replaced in path values and nowhere else.</summary>
public sealed class PathVariableTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Substitutes_in_every_path_value()
    {
        var env = new Dictionary<string, string> { ["MODELS"] = "sub", ["DATA"] = "eval", ["CAL"] = "calib", ["OUT"] = "results" };
        _dir.Touch("sub/net.onnx");
        const string yaml = """
            version: 1
            models:
              - path: ${MODELS}/net.onnx
                data: { path: "${DATA}" }
                variants: [ { name: s, steps: [ { quantize: { mode: static, calibration: "${CAL}" } } ] } ]
            profiles:
              release: { ratchet: true, ratchet-results: "${OUT}/r.json" }
            """;
        var config = _dir.Load(yaml, env);
        var model = config.Models[0];
        Assert.Equal(Path.Combine(_dir.Root, "sub", "net.onnx"), model.Path);
        Assert.Equal("sub/net.onnx", model.RelativePath);
        Assert.Equal("net", model.Name);
        Assert.Equal(Path.Combine(_dir.Root, "eval"), model.Data!.Path);
        Assert.Equal(Path.Combine(_dir.Root, "calib"), model.Variants[1].Steps[0].Options["calibration"]);
        Assert.Equal(Path.Combine(_dir.Root, "results", "r.json"), config.Profiles["release"].RatchetResults);
    }

    [Fact]
    public void Leaves_other_values_alone()
    {
        var env = new Dictionary<string, string> { ["X"] = "digits" };
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                data: { path: eval, labels: "${X}", inputs: { pixels: "${X}" } }
                targets: [ { name: cpu, options: { dir: "${X}" } } ]
            """;
        var model = _dir.Load(yaml, env).Models[0];
        Assert.Equal("${X}", model.Data!.Labels);
        Assert.Equal("${X}", model.Data.Inputs["pixels"]);
        Assert.Equal("${X}", model.Targets[0].ProviderOptions["dir"]);
    }

    [Fact]
    public void A_name_with_a_variable_is_not_substituted_but_invalid()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n    name: ${X}\n", PgCode.ConfigInvalidValue, 4, 11, new Dictionary<string, string> { ["X"] = "m" });
        Assert.Contains("'${X}' is not a valid name", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_variables_are_errors_not_empty_strings()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n    data: { path: \"${A}/${B}/${A}\" }\n", PgCode.ConfigUndefinedVariable, 4, 19);
        Assert.Contains("environment variables 'A', 'B', which are not defined", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variable_defined_as_empty_is_substituted()
    {
        var model = _dir.Load("version: 1\nmodels:\n  - path: ${EMPTY}m.onnx\n", new Dictionary<string, string> { ["EMPTY"] = "" }).Models[0];
        Assert.Equal("m.onnx", model.RelativePath);
    }

    [Fact]
    public void Double_dollar_escapes_a_literal()
    {
        _dir.Touch("${odd}.onnx");
        var model = _dir.Load("version: 1\nmodels:\n  - path: $${odd}.onnx\n    name: odd\n").Models[0];
        Assert.Equal(Path.Combine(_dir.Root, "${odd}.onnx"), model.Path);
    }

    [Fact]
    public void Reads_the_process_environment_when_none_is_given()
    {
        var name = "PG_CONFIG_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "m.onnx");
        try
        {
            File.WriteAllText(_dir.ConfigPath, $"version: 1\nmodels:\n  - path: ${{{name}}}\n");
            Assert.Equal("m.onnx", ConfigLoader.Load(_dir.ConfigPath).Models[0].RelativePath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
