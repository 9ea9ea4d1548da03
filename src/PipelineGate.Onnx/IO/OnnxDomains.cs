namespace PipelineGate.Onnx.IO;

/// <summary>Operator domain names; the default domain is spelled both "" and "ai.onnx".</summary>
public static class OnnxDomains
{
    public const string Default = "";
    public const string Ml = "ai.onnx.ml";
    public const string Microsoft = "com.microsoft";

    public static string Normalize(string? domain) => string.IsNullOrEmpty(domain) || domain == "ai.onnx" ? Default : domain;

    public static bool Same(string? a, string? b) => Normalize(a) == Normalize(b);
}
