using System.CommandLine;
using PipelineGate.Publish;

namespace PipelineGate.Cli.Commands;

/// <summary>The publishing options check and publish share, with the same names, values and defaults (action.yml mirrors them).</summary>
internal sealed record PublishOptions(Option<string> Publish, Option<string> Comment, Option<string> FailOn)
{
    public static PublishOptions Create(string defaultMode = PublishChoices.DefaultMode)
    {
        var publish = new Option<string>("--publish") { Description = $"Where the verdict goes besides the files: {string.Join("|", PublishChoices.Modes)} (auto: the CI system detected).", DefaultValueFactory = _ => defaultMode };
        publish.AcceptOnlyFromAmong(PublishChoices.Modes);
        var comment = new Option<string>("--comment") { Description = "The sticky PR comment: always|on-failure (create when a budget failed or warned; an existing one is always updated)|never.", DefaultValueFactory = _ => PublishChoices.DefaultComment };
        comment.AcceptOnlyFromAmong(PublishChoices.CommentModes);
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 on: fail (a failed budget)|warn (warnings too)|never (like --warn-only).", DefaultValueFactory = _ => PublishChoices.DefaultFailOn };
        failOn.AcceptOnlyFromAmong(PublishChoices.FailOnValues);
        return new PublishOptions(publish, comment, failOn);
    }
}
