using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using Xunit;

namespace PipelineGate.Tests.Hardening;

/// <summary>
/// Configs that overflowed the stack inside YamlDotNet's node builder (which kills the process; no catch stops it) are
/// refused from the parser's events first, with PG1011 and the line; an anchor reused legitimately still loads.
/// </summary>
public sealed class YamlEventBoundsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-yaml-bounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("&a [*a]: x\n", 1)]
    [InlineData("version: 1\nmodels: &m\n  - path: m.onnx\n    budgets: *m\n", 4)]
    [InlineData("version: 1\nx: &a { k: [1, *a] }\n", 2)]
    public void An_alias_inside_its_own_anchor_is_PG1011_at_the_alias(string text, int line)
    {
        var error = Assert.Single(Load(text));
        Assert.Equal(PgCode.ConfigTooLarge, error.Code);
        Assert.Equal(line, error.Line);
        Assert.Contains("would never end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_bound_is_PG1011_not_a_stack_overflow()
    {
        var error = Assert.Single(Load("x: " + new string('[', 300_000) + new string(']', 300_000) + "\n"));
        Assert.Equal(PgCode.ConfigTooLarge, error.Code);
        Assert.Contains($"more than {YamlEventBounds.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_at_the_bound_and_a_shadowed_anchor_are_not_refused_by_the_bound()
    {
        // 199 levels under the root mapping: the bound itself is not hit (other errors of this odd config are).
        var deep = Load("x: " + new string('[', YamlEventBounds.MaxDepth - 1) + new string(']', YamlEventBounds.MaxDepth - 1) + "\n");
        Assert.DoesNotContain(deep, static d => d.Code == PgCode.ConfigTooLarge);

        // The inner &a (a scalar) shadows the outer one before *a is read: YAML's alias names the latest anchor.
        var shadowed = Load("version: 1\nx: &a [ &a 1, *a ]\n");
        Assert.DoesNotContain(shadowed, static d => d.Code == PgCode.ConfigTooLarge);
    }

    private IReadOnlyList<Diagnostic> Load(string text)
    {
        var file = Path.Combine(_dir, "pipelinegate.yml");
        File.WriteAllText(file, text);
        try
        {
            ConfigLoader.Load(file, new Dictionary<string, string>(StringComparer.Ordinal));
            return [];
        }
        catch (ConfigException e)
        {
            return e.Diagnostics;
        }
    }
}
