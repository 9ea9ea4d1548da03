using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PipelineGate.MSBuild;

/// <summary>
/// SHA-256 over everything that decides the gate's verdict: each input file's path and bytes (as listed by
/// <c>pipelinegate inputs</c>), the CLI itself, and the settings passed to it. Equal fingerprints mean the
/// gate would judge the same models against the same budgets with the same tool, so it can be skipped.
/// </summary>
internal static class InputFingerprint
{
    // Bump when what goes into the hash changes, so stamps from an older task never match.
    private const string Version = "pipelinegate-msbuild-fingerprint/1";

    public static string Compute(IEnumerable<string> inputs, IEnumerable<KeyValuePair<string, string>> settings, string cliPath)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(sha, Version);
        foreach (var setting in settings)
        {
            AppendText(sha, setting.Key + "=" + setting.Value);
        }

        // The CLI's bytes, not just its version: a locally rebuilt CLI with an unchanged version still re-runs.
        AppendFile(sha, cliPath);
        foreach (var input in inputs.OrderBy(static p => p, StringComparer.Ordinal))
        {
            AppendFile(sha, input);
        }

        return ToHex(sha.GetHashAndReset());
    }

    private static void AppendFile(IncrementalHash sha, string path)
    {
        AppendText(sha, path);
        if (!File.Exists(path))
        {
            AppendText(sha, "<missing>");
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
        AppendText(sha, stream.Length.ToString(CultureInfo.InvariantCulture));
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
    }

    // Length-prefixed so that ("ab", "c") and ("a", "bc") hash differently.
    private static void AppendText(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        sha.AppendData(BitConverter.GetBytes(bytes.Length));
        sha.AppendData(bytes);
    }

    private static string ToHex(byte[] hash)
    {
        var sb = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
