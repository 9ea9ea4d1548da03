using PipelineGate.Diagnostics;

namespace PipelineGate.Publish;

/// <summary>
/// The command-line spellings of the publishing options. The Action's inputs use the same words, and a
/// test keeps action.yml's defaults equal to these.
/// </summary>
public static class PublishChoices
{
    public static readonly string[] Modes = ["none", "auto", "github", "azure-devops"];
    public static readonly string[] CommentModes = ["always", "on-failure", "never"];
    public static readonly string[] FailOnValues = ["fail", "warn", "never"];

    public const string DefaultMode = "none";
    public const string DefaultComment = "on-failure";
    public const string DefaultFailOn = "fail";

    public static PublishMode ParseMode(string text) => text switch
    {
        "none" => PublishMode.None,
        "auto" => PublishMode.Auto,
        "github" => PublishMode.GitHub,
        "azure-devops" => PublishMode.AzureDevOps,
        _ => throw Invalid("--publish", text, Modes),
    };

    public static CommentMode ParseComment(string text) => text switch
    {
        "always" => CommentMode.Always,
        "on-failure" => CommentMode.OnFailure,
        "never" => CommentMode.Never,
        _ => throw Invalid("--comment", text, CommentModes),
    };

    public static FailOn ParseFailOn(string text) => text switch
    {
        "fail" => FailOn.Fail,
        "warn" => FailOn.Warn,
        "never" => FailOn.Never,
        _ => throw Invalid("--fail-on", text, FailOnValues),
    };

    private static PipelineGateException Invalid(string option, string text, string[] allowed) =>
        new(PgCode.UsageInvalidArgument, $"{option} '{text}' is not one of {string.Join(", ", allowed)}.");
}
