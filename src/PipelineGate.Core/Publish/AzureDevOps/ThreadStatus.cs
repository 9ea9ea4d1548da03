namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Azure DevOps' CommentThreadStatus. The API answers with names and accepts names or numbers; we send
/// and compare the names.
/// </summary>
internal static class ThreadStatus
{
    public const string Active = "active";
    public const string Fixed = "fixed";
    public const string Closed = "closed";

    private static readonly string[] Names = ["unknown", Active, Fixed, "wontFix", Closed, "byDesign", "pending"];

    /// <summary>The name of a status given as a name or a number.</summary>
    public static string? Normalize(string? nameOrNumber) =>
        int.TryParse(nameOrNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? (n >= 0 && n < Names.Length ? Names[n] : null)
            : Names.FirstOrDefault(s => string.Equals(s, nameOrNumber, StringComparison.OrdinalIgnoreCase));
}
