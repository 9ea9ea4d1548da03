using System.Globalization;
using System.Text.Json;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>What we read of a pull-request thread: its id, status, our key property and its first comment.</summary>
internal sealed record PullRequestThread(long Id, string? Status, string? Key, long? FirstCommentId, bool FirstCommentDeleted, bool IsDeleted)
{
    /// <summary>The thread property that holds the gate's key.</summary>
    public const string KeyProperty = "PipelineGate.GateKey";

    /// <summary>One of ours that a later run may update: the key matches and the first comment is still there.</summary>
    public bool IsLiveFor(GateKey key) =>
        !IsDeleted && FirstCommentId is not null && !FirstCommentDeleted && string.Equals(Key, key.Value, StringComparison.Ordinal);

    public static IReadOnlyList<PullRequestThread> ParseList(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(Parse)]
            : [];
    }

    public static PullRequestThread Parse(JsonElement t)
    {
        var first = t.TryGetProperty("comments", out var comments) && comments.ValueKind == JsonValueKind.Array
            ? comments.EnumerateArray()
                .Where(static c => Long(c, "parentCommentId") is null or 0)
                .OrderBy(static c => Long(c, "id") ?? long.MaxValue)
                .Select(static c => (JsonElement?)c)
                .FirstOrDefault()
            : null;
        return new PullRequestThread(
            Long(t, "id") ?? 0,
            ThreadStatus.Normalize(Text(t, "status")),
            KeyOf(t),
            first is { } f ? Long(f, "id") : null,
            first is { } d && Bool(d, "isDeleted"),
            Bool(t, "isDeleted"));
    }

    // The API answers { "$type": "System.String", "$value": "…" }; a plain string is accepted too.
    private static string? KeyOf(JsonElement t)
    {
        if (!t.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object
            || !props.TryGetProperty(KeyProperty, out var p))
        {
            return null;
        }

        return p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Object when p.TryGetProperty("$value", out var v) && v.ValueKind == JsonValueKind.String => v.GetString(),
            _ => null,
        };
    }

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static string? Text(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n.ToString(CultureInfo.InvariantCulture)
        : null;

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
