using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Reads a model's <c>accept-signature-change: { reason: "...", from: 3f2a9c01b7de }</c>.</summary>
internal static partial class SignatureAcceptanceReader
{
    public static SignatureAcceptance? Read(ConfigContext context, YamlNode node)
    {
        if (MappingReader.Open(context, node, "'accept-signature-change'", ConfigKeys.AcceptSignatureChange) is not { } m)
        {
            return null;
        }

        var reasonNode = m.Required("reason", "Say why the model's inputs or outputs change (it is shown in the report), e.g. reason: \"input resized to 32 px for the v3 app\".");
        var fromNode = m.Required("from", "Copy the old signature's hash from the failure message (PG45xx), e.g. from: 3f2a9c01b7de.");
        var reason = reasonNode is null ? null : Scalars.NonEmpty(context, reasonNode, "'reason'");
        var from = fromNode is null ? null : Scalars.NonEmpty(context, fromNode, "'from'");
        if (from is not null && !HashPattern().IsMatch(from))
        {
            context.Report(PgCode.ConfigInvalidValue, fromNode!, $"'from' is '{from}', but a signature hash is 12 lower-case hex digits.",
                "Copy the hash from the signature failure's message, or from results.json (models[].signature.hash).");
            from = null;
        }

        return reason is null || from is null ? null : new SignatureAcceptance(reason, from, context.Locate(m.Node));
    }

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex HashPattern();
}
