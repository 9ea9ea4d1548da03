using PipelineGate.Publish;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish;

public sealed class GateKeyTests
{
    [Fact]
    public void Is_the_config_path_below_the_repository_root_with_slashes_and_the_profile()
    {
        using var repo = new TempFolder();
        var config = Path.Combine(repo.Path, "models", "pipelinegate.yml");

        Assert.Equal("models/pipelinegate.yml#pr", GateKey.For(config, "pr", repo.Path).Value);
        Assert.Equal("models/pipelinegate.yml", GateKey.For(config, null, repo.Path).Value);
        Assert.Equal("models/pipelinegate.yml", GateKey.For(config, "", repo.Path).Value);
    }

    [Fact]
    public void Without_a_given_root_the_git_root_above_the_config_is_used()
    {
        using var repo = new TempFolder();
        Directory.CreateDirectory(Path.Combine(repo.Path, ".git"));
        var config = Path.Combine(repo.Path, "a", "b", "pipelinegate.yml");

        Assert.Equal("a/b/pipelinegate.yml#release", GateKey.For(config, "release").Value);
        // A workspace that does not hold the config (results stored elsewhere) does not make a "../" key.
        Assert.Equal("a/b/pipelinegate.yml", GateKey.For(config, null, Path.Combine(repo.Path, "elsewhere")).Value);
    }

    [Fact]
    public void Marker_encodes_what_could_end_the_html_comment()
    {
        Assert.Equal("<!-- pipelinegate:models/pipelinegate.yml#pr -->", new GateKey("models/pipelinegate.yml#pr").Marker);
        Assert.Equal("<!-- pipelinegate:a%2D-%3Eb%20c%25 -->", new GateKey("a-->b c%").Marker);
        Assert.DoesNotContain("--", new GateKey("x---y").Marker["<!--".Length..^"-->".Length], StringComparison.Ordinal);
    }
}
