using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Hardening;

/// <summary>
/// Audit of <c>${NAME}</c> expansion: every key of every mapping in the config schema (ConfigKeys.Contexts,
/// which a test keeps equal to the JSON schema) is given the value <c>${PG_AUDIT_UNDEFINED}</c> in turn;
/// a key whose value is expanded reports PG1009 (undefined variable). Exactly the path fields listed in
/// docs/config.md may do so.
/// </summary>
public sealed class VariableExpansionAuditTests : IDisposable
{
    private const string Probe = "${PG_AUDIT_UNDEFINED}";

    // context name in ConfigKeys.Contexts → where a mapping of that kind sits in the base config.
    private static readonly (string Context, string[] Path)[] Places =
    [
        ("root", []),
        ("measure", ["measure"]),
        ("model", ["models", "0"]),
        ("data", ["models", "0", "data"]),
        ("target", ["models", "0", "targets", "0"]),
        ("variant", ["models", "0", "variants", "0"]),
        ("step", ["models", "0", "variants", "0", "steps", "0"]),
        ("quantize", ["models", "0", "variants", "0", "steps", "0", "quantize"]),
        ("prune", ["models", "0", "variants", "1", "steps", "0", "prune"]),
        ("factorize", ["models", "0", "variants", "2", "steps", "0", "factorize"]),
        ("budget", ["models", "0", "budgets", "0"]),
        ("accept-signature-change", ["models", "0", "accept-signature-change"]),
        ("custom-op-library", ["models", "0", "custom-op-libraries", "0"]),
        ("fetch", ["models", "1", "fetch"]),
        ("fetched-file", ["models", "2", "data", "tokenizer"]),
        ("profile", ["profiles", "pr"]),
        ("profile-budget", ["profiles", "pr", "budgets", "0"]),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-env-audit-").FullName;

    public VariableExpansionAuditTests()
    {
        File.Copy(RepoPaths.Of("samples/digits/digits_mlp.onnx"), Path.Combine(_dir, "m.onnx"));
        File.WriteAllText(Path.Combine(_dir, "t.txt"), "a sentence\n");
        File.WriteAllText(Path.Combine(_dir, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\na\n");
        Directory.CreateDirectory(Path.Combine(_dir, "cal"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Expansion_happens_in_exactly_the_documented_path_fields()
    {
        Assert.Equal(ConfigKeys.Contexts.Keys.Order(StringComparer.Ordinal), Places.Select(static p => p.Context).Order(StringComparer.Ordinal));
        var expanded = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (context, path) in Places)
        foreach (var textData in new[] { false, true })
        {
            foreach (var key in ConfigKeys.Contexts[context])
            {
                var config = BaseConfig(textData);
                Locate(config, path)[key] = Probe;
                var file = Path.Combine(_dir, "pipelinegate.yml");
                File.WriteAllText(file, config.ToJsonString());
                if (Diagnostics(file).Any(static d => d.Code == PgCode.ConfigUndefinedVariable))
                {
                    expanded.Add($"{context}.{key}");
                }
            }
        }

        Assert.Equal(DocumentedFields(), expanded);
    }

    // docs/config.md, "Paths and environment variables": "In **path values only** ... (`models[].path`, ...)".
    private static string[] DocumentedFields()
    {
        var doc = File.ReadAllText(RepoPaths.Of("docs/config.md"));
        var section = doc[doc.IndexOf("## Paths and environment variables", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var list = Regex.Match(section, @"expanded in exactly these fields: ([^(]+)").Groups[1].Value;
        var names = Regex.Matches(list, "`([a-z\\-]+\\.[a-z\\-]+)`").Select(static m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(names);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static IReadOnlyList<Diagnostic> Diagnostics(string file)
    {
        try
        {
            ConfigLoader.Load(file, new Dictionary<string, string>(StringComparer.Ordinal));
            return [];
        }
        catch (ConfigException e)
        {
            return e.Diagnostics;
        }
    }

    private static JsonObject Locate(JsonObject root, string[] path)
    {
        JsonNode node = root;
        foreach (var part in path)
        {
            node = node is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        return (JsonObject)node;
    }

    // Text data (text + tokenizer) and tensor data (path) exclude each other, so the audit runs over both.
    private static JsonObject BaseConfig(bool textData) => (JsonObject)JsonNode.Parse(BaseText.Replace("DATA", textData
        ? "\"text\": \"t.txt\", \"tokenizer\": \"vocab.txt\""
        : "\"path\": \"d.npy\"", StringComparison.Ordinal).Replace("FETCH", Fetch, StringComparison.Ordinal))!;

    // An invalid version keeps every probe of a fetch from reaching the network: a malformed pin is refused (PG1004)
    // before anything is restored, and only PG1009 is looked for.
    private const string Fetch = """{ "nuget": "Some.Package", "version": "not a version", "resource": "r", "sha256": "0000000000000000000000000000000000000000000000000000000000000000" }""";

    private const string BaseText = """
        {
          "version": 1,
          "measure": { "duration": "20ms" },
          "models": [ {
            "path": "m.onnx",
            "name": "m",
            "data": { DATA },
            "targets": [ { "name": "cpu" } ],
            "variants": [
              { "name": "q", "steps": [ { "quantize": { "mode": "static", "calibration": "cal" } } ] },
              { "name": "p", "steps": [ { "prune": { "sparsity": "50%" } } ] },
              { "name": "f", "steps": [ { "factorize": { "energy": "90%" } } ] }
            ],
            "budgets": [ { "metric": "file-size", "max": "1 MB" } ],
            "accept-signature-change": { "reason": "r", "from": "0123456789ab" },
            "custom-op-libraries": [ { "path": "ops.so", "sha256": "0000000000000000000000000000000000000000000000000000000000000000" } ]
          },
          { "name": "fetched", "fetch": FETCH },
          { "path": "m.onnx", "name": "text", "data": { "text": "t.txt", "tokenizer": { "fetch": FETCH } } } ],
          "profiles": { "pr": { "ratchet": true, "ratchet-results": "r.json", "budgets": [ { "metric": "file-size", "max": "1 MB", "model": "m" } ] } }
        }
        """;
}
