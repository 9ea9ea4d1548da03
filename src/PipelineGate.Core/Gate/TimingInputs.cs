using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Text;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Gate;

/// <summary>The inputs a gate run times a model with; <c>pipelinegate init</c> measures with the same, so its budgets fit.</summary>
internal static class TimingInputs
{
    /// <summary>Times with the first evaluation sample when there is data (realistic for data-dependent ops), else seeded random inputs.</summary>
    public static Dictionary<string, TensorData>? From(string modelPath, DataConfig? data, SessionConfig session) => From(modelPath, data, null, null, session);

    /// <summary>
    /// As above; a text encoder with labelled pairs and no other data (<c>data: { pairs, tokenizer }</c>) is timed with
    /// the first sentence of <paramref name="firstPair"/>, tokenized as its evaluation is: random ids would index past its
    /// embedding tables (PG3005). <paramref name="firstPair"/> is the first pair as the gate's similarity evaluation read
    /// the file (once per run, every record checked there), so timing neither reads nor parses the file again.
    /// </summary>
    public static Dictionary<string, TensorData>? From(string modelPath, DataConfig? data, PairsConfig? pairs, SentencePair? firstPair, SessionConfig session)
    {
        if (data is null)
        {
            return pairs is null ? null : FromPairs(modelPath, pairs, firstPair ?? throw new ArgumentNullException(nameof(firstPair), "Timing on labelled pairs needs their first pair."), session);
        }

        using var probe = InferenceSession.Create(modelPath, session);
        // Text data is tokenized as evaluation tokenizes it (without the tokenizer the .txt file read as arrays
        // left the model's int64 token inputs unfed: PG2024).
        using var dataset = EvalDatasetLoader.Open(data.Path, Measure.Evaluation.DataOptions.For(modelPath, data, probe));
        var batch = probe.Inputs.Select(static i => i.Dimensions.Count > 0 && i.Dimensions[0] > 0 ? (int)i.Dimensions[0] : 1).Max();
        return dataset.ReadBatch(0, Math.Min(batch, dataset.Count)).Inputs.ToDictionary(static kv => kv.Key, static kv => kv.Value, StringComparer.Ordinal);
    }

    private static Dictionary<string, TensorData> FromPairs(string modelPath, PairsConfig pairs, SentencePair first, SessionConfig session)
    {
        using var probe = InferenceSession.Create(modelPath, session);
        var inputs = probe.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray())).ToArray();
        using var dataset = TextDataset.FromLines(pairs.Path, [first.First], pairs.Tokenizer, pairs.MaxLength ?? EvalDataOptions.DefaultMaxLength, inputs);
        return dataset.ReadBatch(0, 1).Inputs.ToDictionary(static kv => kv.Key, static kv => kv.Value, StringComparer.Ordinal);
    }
}
