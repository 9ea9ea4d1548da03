using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Statistics;
using PipelineGate.Runtime;

namespace PipelineGate.Measure.Text;

/// <summary>An encoder on labelled pairs: the cosine of each pair's sentence embeddings and their Spearman ρ with the scores.</summary>
public sealed record PairSimilarityResult(double Spearman, double[] Cosines, int Pairs, int TruncatedSentences);

/// <summary>
/// <c>similarity.spearman</c>: embeds both sentences of every labelled pair with the model (tokenized as text data
/// is, mean-pooled over the attention mask, or a pooled output as it is), takes the cosine of each pair, and ranks
/// those cosines against the people's scores (Spearman's ρ, ties averaged), as the STS benchmarks score encoders.
/// </summary>
public static class PairSimilarity
{
    public static PairSimilarityResult Evaluate(string modelPath, IReadOnlyList<SentencePair> pairs, string pairsPath, string tokenizerPath, int maxLength, SessionConfig session, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        using var model = InferenceSession.Create(modelPath, session);
        var inputs = model.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray())).ToArray();
        var outputName = output ?? model.Outputs[0].Name;
        if (!model.Outputs.Any(o => o.Name == outputName))
        {
            throw new PipelineGateException(PgCode.ConfigInvalidValue, $"The model has no output named '{outputName}'; it has {string.Join(", ", model.Outputs.Select(static o => o.Name))}.",
                modelPath, hint: "Set 'output' to one of the model's outputs, or leave it out for the first.");
        }

        // Both sides in one dataset: first sentences at 0..n-1, second sentences at n..2n-1.
        var lines = pairs.Select(static p => p.First).Concat(pairs.Select(static p => p.Second)).ToArray();
        using var dataset = TextDataset.FromLines(pairsPath, lines, tokenizerPath, maxLength, inputs);
        var embeddings = new List<double>();
        for (var start = 0; start < dataset.Count; start += Evaluation.ModelEvaluator.DefaultBatchSize)
        {
            var count = Math.Min(Evaluation.ModelEvaluator.DefaultBatchSize, dataset.Count - start);
            var batch = dataset.ReadBatch(start, count);
            var result = model.Run(batch.Inputs, [outputName])[outputName];
            embeddings.AddRange(SentenceEmbeddings.Pool(result, dataset.AttentionMaskName is { } mask ? batch.Inputs[mask] : null, outputName));
        }

        var hidden = embeddings.Count / lines.Length;
        var all = embeddings.ToArray();
        var cosines = new double[pairs.Count];
        for (var i = 0; i < cosines.Length; i++)
        {
            var a = all.AsSpan(i * hidden, hidden);
            var b = all.AsSpan((pairs.Count + i) * hidden, hidden);
            double dot = 0, na = 0, nb = 0;
            for (var h = 0; h < hidden; h++)
            {
                dot += a[h] * b[h];
                na += a[h] * a[h];
                nb += b[h] * b[h];
            }

            cosines[i] = RowMath.Cosine(dot, na, nb);
        }

        var rho = SpearmanCorrelation.Of(cosines, pairs.Select(static p => p.Score).ToArray());
        return new PairSimilarityResult(rho, cosines, pairs.Count, dataset.TruncatedRows);
    }
}
