using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Publish.Merge;

/// <summary>Models, their variants and targets from several shards, in first-seen order.</summary>
internal sealed class ModelMerge
{
    private readonly List<string> _models = [];
    private readonly Dictionary<string, (ModelResult Model, List<VariantResult> Variants, Dictionary<string, string> TargetSource)> _byName = new(StringComparer.Ordinal);

    public void Add(string path, IEnumerable<ModelResult> models)
    {
        foreach (var m in models)
        {
            if (!_byName.TryGetValue(m.Name, out var entry))
            {
                entry = (m, [], new Dictionary<string, string>(StringComparer.Ordinal));
                _byName[m.Name] = entry;
                _models.Add(m.Name);
            }

            foreach (var v in m.Variants)
            {
                var index = entry.Variants.FindIndex(x => x.Name == v.Name);
                if (index < 0)
                {
                    entry.Variants.Add(v);
                    Remember(entry.TargetSource, m.Name, v, path);
                }
                else
                {
                    entry.Variants[index] = Join(entry.Variants[index], v, m.Name, path, entry.TargetSource);
                }
            }
        }
    }

    public IReadOnlyList<ModelResult> Result() =>
        [.. _models.Select(n => _byName[n].Model with { Variants = [.. _byName[n].Variants] })];

    private static VariantResult Join(VariantResult a, VariantResult b, string model, string path, Dictionary<string, string> source)
    {
        var targets = a.Targets.ToList();
        foreach (var t in b.Targets)
        {
            var i = targets.FindIndex(x => x.Target == t.Target);
            if (i < 0)
            {
                targets.Add(t);
                source[Key(model, a.Name, t.Target)] = path;
            }
            else if (ResultsMerger.Measured(targets[i]) && ResultsMerger.Measured(t))
            {
                throw new PipelineGateException(PgCode.ResultsMergeConflict,
                    $"{model} × {a.Name} × {t.Target} was measured in two shards ('{source[Key(model, a.Name, t.Target)]}' and '{path}'): the merge cannot tell which measurement to keep.", path,
                    hint: "Give each shard its own models (--shard i/n) or its own target (--target), not both the same.");
            }
            else if (ResultsMerger.Measured(t))
            {
                targets[i] = t;
                source[Key(model, a.Name, t.Target)] = path;
            }
        }

        // Target-independent facts (size, accuracy) are the same in every shard that built the variant; fill gaps only.
        return a with
        {
            Targets = targets,
            BaselineSize = a.BaselineSize ?? b.BaselineSize,
            Accuracy = a.Accuracy ?? b.Accuracy,
            BaselineAccuracy = a.BaselineAccuracy ?? b.BaselineAccuracy,
            Similarity = a.Similarity ?? b.Similarity,
            BaselineSimilarity = a.BaselineSimilarity ?? b.BaselineSimilarity,
            Fidelity = a.Fidelity ?? b.Fidelity,
        };
    }

    private static void Remember(Dictionary<string, string> source, string model, VariantResult v, string path)
    {
        foreach (var t in v.Targets)
        {
            source[Key(model, v.Name, t.Target)] = path;
        }
    }

    private static string Key(string model, string variant, string target) => model + "\n" + variant + "\n" + target;
}
