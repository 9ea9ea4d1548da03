using System.Globalization;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Gate.Signature;

/// <summary>
/// What one ONNX Runtime version supports, from the committed table Gate/Signature/ort-&lt;major.minor&gt;-kernels.txt
/// (its header names the sources): the highest IR version and opset per domain that load, the domains it
/// knows without a custom-op library, and the ops each GPU provider has kernels for.
/// </summary>
internal sealed class OrtKernelTable
{
    private readonly Dictionary<string, long> _maxOpset = new(StringComparer.Ordinal);
    private readonly HashSet<string> _domains = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Provider, string Domain), Dictionary<string, (long Min, long Max)>> _kernels = [];

    private OrtKernelTable(string version, string resource)
    {
        Version = version;
        Resource = resource;
    }

    /// <summary>The ORT major.minor the table is for, e.g. 1.31.</summary>
    public string Version { get; }

    /// <summary>The table's file name, for messages.</summary>
    public string Resource { get; }

    public long MaxIrVersion { get; private set; }

    public IReadOnlyDictionary<string, long> MaxOpset => _maxOpset;

    public bool KnowsDomain(string domain) => _domains.Contains(domain);

    /// <summary>True when the table lists kernels for this provider at all (cuda; tensorrt is judged by cuda's).</summary>
    public bool HasProvider(string provider) => _kernels.Keys.Any(k => k.Provider == provider);

    /// <summary>Whether <paramref name="provider"/> has a kernel for the op at the model's opset of its domain.</summary>
    public bool Supports(string provider, string domain, string op, long opset) =>
        _kernels.TryGetValue((provider, domain), out var ops) && ops.TryGetValue(op, out var range) && opset >= range.Min && opset <= range.Max;

    /// <summary>The table for a runtime version string such as "1.31.1", or null when none is committed for its major.minor.</summary>
    public static OrtKernelTable? For(string runtimeVersion)
    {
        var parts = runtimeVersion.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }

        var version = parts[0] + "." + parts[1];
        var name = $"ort-{version}-kernels";
        using var stream = typeof(OrtKernelTable).Assembly.GetManifestResourceStream($"PipelineGate.{name}.txt");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return Parse(version, name + ".txt", reader.ReadToEnd());
    }

    internal static OrtKernelTable Parse(string version, string resource, string text)
    {
        var table = new OrtKernelTable(version, resource);
        string[] section = [];
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                section = line.Trim('[', ']').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (section)
            {
                case ["limits"] when fields is ["ir", var ir]:
                    table.MaxIrVersion = long.Parse(ir, CultureInfo.InvariantCulture);
                    break;
                case ["limits"] when fields is ["opset", var domain, var max]:
                    table._maxOpset[OnnxDomains.Normalize(domain)] = long.Parse(max, CultureInfo.InvariantCulture);
                    break;
                case ["domains"]:
                    table._domains.Add(OnnxDomains.Normalize(fields[0]));
                    break;
                case [var provider, var domain] when fields is [var op, var range]:
                    var key = (provider, OnnxDomains.Normalize(domain));
                    if (!table._kernels.TryGetValue(key, out var ops))
                    {
                        table._kernels[key] = ops = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
                    }

                    ops[op] = Range(range);
                    break;
                default:
                    throw new InvalidDataException($"{resource}: unexpected line '{line}' in section [{string.Join(' ', section)}].");
            }
        }

        return table;
    }

    private static (long Min, long Max) Range(string text)
    {
        if (text.EndsWith('+'))
        {
            return (long.Parse(text[..^1], CultureInfo.InvariantCulture), long.MaxValue);
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? (long.Parse(text, CultureInfo.InvariantCulture), long.Parse(text, CultureInfo.InvariantCulture))
            : (long.Parse(text[..dash], CultureInfo.InvariantCulture), long.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture));
    }
}
