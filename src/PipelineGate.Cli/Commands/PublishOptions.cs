using System.CommandLine;
using PipelineGate.Publish;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// The publishing options shared by <c>check</c> and <c>publish</c>: --publish, --comment, --fail-on, --pr.
/// The Action's and the Azure DevOps task's inputs carry the same names (a contract test keeps them equal).
/// </summary>
internal sealed class PublishOptions
{
    public Option<string> Publish { get; } = new("--publish")
    {
        Description = "Where the verdict goes besides the files: none, auto (the CI system detected), github, azure-devops.",
        DefaultValueFactory = _ => PublishChoices.DefaultMode,
    };

    public Option<string> Comment { get; } = new("--comment")
    {
        Description = "When to write the PR comment or thread: always, on-failure (create only when a budget fails or warns; an existing one is always updated), never.",
        DefaultValueFactory = _ => PublishChoices.DefaultComment,
    };

    public Option<string> FailOn { get; } = new("--fail-on")
    {
        Description = "Which outcome exits 1: fail (a failed budget), warn (a warning too), never.",
        DefaultValueFactory = _ => PublishChoices.DefaultFailOn,
    };

    public Option<long?> PullRequest { get; } = new("--pr") { Description = "The pull request to comment on (default: read from the CI environment)." };

    public PublishOptions()
    {
        Publish.AcceptOnlyFromAmong(PublishChoices.Modes);
        Comment.AcceptOnlyFromAmong(PublishChoices.CommentModes);
        FailOn.AcceptOnlyFromAmong(PublishChoices.FailOnValues);
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Publish);
        command.Options.Add(Comment);
        command.Options.Add(FailOn);
        command.Options.Add(PullRequest);
    }

    public PublishSettings Read(ParseResult parse) => new(
        PublishChoices.ParseMode(parse.GetValue(Publish)!),
        PublishChoices.ParseComment(parse.GetValue(Comment)!),
        PublishChoices.ParseFailOn(parse.GetValue(FailOn)!),
        parse.GetValue(PullRequest));
}
