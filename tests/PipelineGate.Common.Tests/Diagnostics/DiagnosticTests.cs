using PipelineGate.Diagnostics;

namespace PipelineGate.Tests.Diagnostics;

public sealed class DiagnosticTests
{
    [Fact]
    public void ToString_HasMsBuildShape()
    {
        var d = new Diagnostic(PgCode.ConfigSyntax, DiagnosticSeverity.Error, "msg", "file", 3, 5, "hint");
        Assert.Equal("file(3,5): error PG1002: msg hint", d.ToString());
    }

    [Theory]
    [InlineData("f.yaml", 7, null, null, DiagnosticSeverity.Warning, "f.yaml(7): warning PG2020: bad")]
    [InlineData("f.yaml", null, null, "Fix it.", DiagnosticSeverity.Error, "f.yaml: error PG2020: bad Fix it.")]
    [InlineData(null, 3, 4, null, DiagnosticSeverity.Info, "info PG2020: bad")]
    [InlineData("", null, null, "", DiagnosticSeverity.Error, "error PG2020: bad")]
    public void ToString_OmitsWhatIsUnknown(string? file, int? line, int? column, string? hint, DiagnosticSeverity severity, string expected)
        => Assert.Equal(expected, new Diagnostic(PgCode.TensorFileInvalid, severity, "bad", file, line, column, hint).ToString());

    [Fact]
    public void CodeText_IsPgAndFourDigits()
    {
        Assert.Equal("PG2026", Diagnostic.FormatCode(PgCode.DataNotFound));
        Assert.Equal("PG0007", Diagnostic.FormatCode((PgCode)7));
    }

    [Fact]
    public void Exception_MessageIsTheDiagnostic()
    {
        var ex = new PipelineGateException(PgCode.TensorFileInvalid, "Truncated.", "a.npy", hint: "Re-create it.");
        Assert.Equal("a.npy: error PG2020: Truncated. Re-create it.", ex.Message);
        Assert.Equal(PgCode.TensorFileInvalid, ex.Code);
    }
}
