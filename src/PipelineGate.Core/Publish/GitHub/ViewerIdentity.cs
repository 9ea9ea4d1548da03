using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// Who the token acts as, so the sticky comment is matched by marker AND author: another user's comment
/// that quotes our marker is never edited. An installation token (GITHUB_TOKEN) cannot call GET /user
/// (403 "Resource not accessible by integration"), but GraphQL's <c>viewer { login }</c> answers for
/// every kind of token ("github-actions" for GITHUB_TOKEN, whose comments show as "github-actions[bot]").
/// When GraphQL cannot be asked, the marker alone identifies the comment (see docs/github.md).
/// </summary>
internal static class ViewerIdentity
{
    public static async Task<string?> LoginAsync(HttpClient http, GitHubContext ctx, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ctx.GraphQlUrl)
        {
            Content = new StringContent("{\"query\":\"query { viewer { login } }\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ctx.Token);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("PipelineGate", null));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("viewer", out var viewer) && viewer.ValueKind == JsonValueKind.Object
                && viewer.TryGetProperty("login", out var login) && login.ValueKind == JsonValueKind.String
                ? login.GetString()
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>True when a comment by <paramref name="author"/> was written with the viewer's token (bots show with a [bot] suffix).</summary>
    public static bool IsViewer(string? author, string? viewer) =>
        viewer is null
        || string.Equals(author, viewer, StringComparison.OrdinalIgnoreCase)
        || string.Equals(author, viewer + "[bot]", StringComparison.OrdinalIgnoreCase);
}
