using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// Escape codes belong on terminals only. Spectre.Console alone decides from TERM, so a colour
/// terminal's TERM used to put escapes into `pipelinegate ... &gt; log`; these runs set such a TERM on purpose.
/// </summary>
public sealed class ConsoleOutputTests : IDisposable
{
    private const char Esc = '\u001b';

    // SGR: colour and bold. (.NET itself writes a keypad-mode sequence to a terminal; that is not ours.)
    private const string Bold = "\u001b[1m";

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-console-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string[]> ColouredCommands => new()
    {
        { new[] { "inspect", CliProcess.Sample("digits", "digits_mlp.onnx") } },
        { new[] { "doctor" } },
    };

    [Theory]
    [MemberData(nameof(ColouredCommands))]
    public void Redirected_output_has_no_escape_codes_on_a_colour_terminal_type(string[] args)
    {
        var r = CliProcess.Run(_dir, ColourTerminal(noColor: null), args);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("│", r.StdOut, StringComparison.Ordinal); // the table was printed
        Assert.DoesNotContain(Esc, r.StdOut);
    }

    [Theory]
    [InlineData("GITHUB_ACTIONS", "true")]
    [InlineData("TF_BUILD", "True")]
    public void Redirected_output_on_a_CI_runner_has_no_escape_codes(string variable, string value)
    {
        // Spectre.Console turns ANSI on by itself when it sees a CI system whose log renders it.
        var env = ColourTerminal(noColor: null);
        env[variable] = value;

        var r = CliProcess.Run(_dir, env, "inspect", CliProcess.Sample("digits", "digits_mlp.onnx"));

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("│", r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, r.StdOut);
    }

    [Fact]
    public void Redirected_output_with_NO_COLOR_has_no_escape_codes()
    {
        var r = CliProcess.Run(_dir, ColourTerminal(noColor: "1"), "inspect", CliProcess.Sample("digits", "digits_mlp.onnx"));

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("digits_mlp.onnx", r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, r.StdOut);
    }

    [Fact]
    public void A_terminal_keeps_its_styles_unless_NO_COLOR_is_set()
    {
        Assert.True(OperatingSystem.IsLinux(), "this test gets a terminal from util-linux 'script'");
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");

        var styled = CliProcess.RunInTerminal(_dir, ColourTerminal(noColor: null), "inspect", model);
        var plain = CliProcess.RunInTerminal(_dir, ColourTerminal(noColor: "1"), "inspect", model);
        var emptyNoColor = CliProcess.RunInTerminal(_dir, ColourTerminal(noColor: ""), "inspect", model);

        Assert.True(styled.ExitCode == 0, styled.StdOut + styled.StdErr);
        Assert.Contains(Bold + model, styled.StdOut, StringComparison.Ordinal);
        Assert.True(plain.ExitCode == 0, plain.StdOut + plain.StdErr);
        Assert.Contains(model, plain.StdOut, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\u001b\[[0-9;]*m", plain.StdOut);
        Assert.Contains(Bold + model, emptyNoColor.StdOut, StringComparison.Ordinal); // no-color.org: an empty NO_COLOR does not count
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(false, "", false)]
    [InlineData(false, "1", true)]
    [InlineData(false, "0", true)]
    [InlineData(true, null, true)]
    public void Output_is_plain_when_redirected_or_NO_COLOR_is_non_empty(bool redirected, string? noColor, bool plain)
    {
        Assert.Equal(plain, ConsoleSetup.IsPlain(redirected, noColor));
    }

    private static Dictionary<string, string?> ColourTerminal(string? noColor) => new()
    {
        ["TERM"] = "xterm-256color",
        ["COLORTERM"] = "truecolor",
        ["NO_COLOR"] = noColor,
    };
}
