using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Statistics;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.WordNet;

namespace PipelineGate.Benchmarks;

/// <summary>
/// similarity.spearman on a real, published labelled set: all-MiniLM-L6-v2 fp32 against its dynamic-int8 variant (the
/// gate's own quantize step, mode dynamic) on the WordNet gloss pairs (<see cref="WordNetPairs"/>), scored once by
/// Wu-Palmer and once by path similarity. Reports ρ of each model, and the paired change ρ(int8) − ρ(fp32) with a 95%
/// percentile bootstrap interval that resamples pair indices (the same indices for both models; fixed seed, SplitMix64).
/// The labels are WordNet's taxonomy, not human judgments. Usage: spearman-wordnet [pairs=500] [resamples=1000].
/// </summary>
internal static class SpearmanWordNet
{
    private const int Seed = 13;

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : WordNetPairs.DefaultCount;
        var resamples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var dir = Directory.CreateTempSubdirectory("pg-spearman-wordnet-").FullName;
        try
        {
            var int8Path = Path.Combine(dir, "int8.onnx");
            var step = new RecipeStep("quantize", new Dictionary<string, string> { ["mode"] = "dynamic" }, new SourceLocation("benchmark", 1, 1));
            ModelWriter.Save(new QuantizeStep().Apply(ModelFile.Load(RealEncoder.MiniLmModel), step, new OptimizationContext(RepoPaths.Root, null)).Model, int8Path);

            // The sentences are the same in both files (same seed), only the score column differs, so the cosines are computed once.
            var wupCsv = WordNetPairs.Csv(count, WordNetMeasure.WuPalmer);
            var pathCsv = WordNetPairs.Csv(count, WordNetMeasure.Path);
            var wup = SentencePairs.Read(wupCsv);
            var path = SentencePairs.Read(pathCsv);
            if (!wup.Select(static p => (p.First, p.Second)).SequenceEqual(path.Select(static p => (p.First, p.Second))))
            {
                throw new InvalidOperationException("The Wu-Palmer and path files do not hold the same pairs.");
            }

            var fp32 = PairSimilarity.Evaluate(RealEncoder.MiniLmModel, wup, wupCsv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);
            var int8 = PairSimilarity.Evaluate(int8Path, wup, wupCsv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"all-MiniLM-L6-v2 fp32 ({new FileInfo(RealEncoder.MiniLmModel).Length:N0} B) vs dynamic int8 ({new FileInfo(int8Path).Length:N0} B), {Environment.ProcessorCount} logical CPUs, ONNX Runtime CPU; " +
                $"{wup.Count} WordNet 3.0 noun gloss pairs (seed {WordNetPairs.DefaultSeed}), max 128 tokens, {fp32.TruncatedSentences} sentences truncated; bootstrap {resamples} resamples of pair indices, seed {Seed}."));
            foreach (var (name, pairs) in new[] { ("Wu-Palmer", wup), ("path", path) })
            {
                var scores = pairs.Select(static p => p.Score).ToArray();
                var rhoA = SpearmanCorrelation.Of(fp32.Cosines, scores);
                var rhoB = SpearmanCorrelation.Of(int8.Cosines, scores);
                var (lo, hi, a, b) = PairedInterval(fp32.Cosines, int8.Cosines, scores, resamples);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-9} labels ({scores.Distinct().Count()} distinct): ρ fp32 {rhoA:0.0000} [{a.Lo:0.0000}, {a.Hi:0.0000}], ρ int8 {rhoB:0.0000} [{b.Lo:0.0000}, {b.Hi:0.0000}], " +
                    $"paired change int8 − fp32 {rhoB - rhoA:+0.00000;-0.00000} (95% bootstrap [{lo:+0.00000;-0.00000}, {hi:+0.00000;-0.00000}])"));
            }

            // The overall ρ is helped by the strata being far apart; within one stratum the ranking is harder.
            var strata = WordNetPairs.Sample(WordNetPairs.Nouns, count, WordNetPairs.DefaultSeed);
            if (!strata.Select(static p => (p.First, p.Second)).SequenceEqual(wup.Select(static p => (p.First, p.Second))))
            {
                throw new InvalidOperationException("The cached pair file is not what the seed draws.");
            }

            Console.WriteLine("Wu-Palmer ρ within each stratum, fp32 / int8: " + string.Join("; ", strata.Select(static (p, i) => (p.Stratum, i)).GroupBy(static t => t.Stratum).Select(g =>
            {
                var idx = g.Select(static t => t.i).ToArray();
                var y = idx.Select(i => wup[i].Score).ToArray();
                return string.Create(CultureInfo.InvariantCulture,
                    $"{g.Key} (n {idx.Length}) {SpearmanCorrelation.Of(idx.Select(i => fp32.Cosines[i]).ToArray(), y):0.000} / {SpearmanCorrelation.Of(idx.Select(i => int8.Cosines[i]).ToArray(), y):0.000}");
            })));

            var agreement = fp32.Cosines.Zip(int8.Cosines, static (x, y) => Math.Abs(x - y)).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pair cosine |int8 − fp32|: mean {agreement.Average():0.00000}, max {agreement.Max():0.00000}; ρ between the two models' cosines {SpearmanCorrelation.Of(fp32.Cosines, int8.Cosines):0.00000}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>95% percentile intervals of ρ(B) − ρ(A), ρ(A) and ρ(B) over resampled pair indices, the same indices for both models.</summary>
    private static (double Lo, double Hi, (double Lo, double Hi) A, (double Lo, double Hi) B) PairedInterval(double[] a, double[] b, double[] scores, int resamples)
    {
        var n = scores.Length;
        var rng = new BootstrapRandom(Seed);
        var (ra, rb, rs) = (new double[n], new double[n], new double[n]);
        var (diffs, rhoA, rhoB) = (new double[resamples], new double[resamples], new double[resamples]);
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < n; i++)
            {
                var k = rng.NextInt(n);
                (ra[i], rb[i], rs[i]) = (a[k], b[k], scores[k]);
            }

            rhoA[r] = SpearmanCorrelation.Of(ra, rs);
            rhoB[r] = SpearmanCorrelation.Of(rb, rs);
            diffs[r] = rhoB[r] - rhoA[r];
        }

        return (Quantile(diffs, 0.025), Quantile(diffs, 0.975), (Quantile(rhoA, 0.025), Quantile(rhoA, 0.975)), (Quantile(rhoB, 0.025), Quantile(rhoB, 0.975)));
    }

    /// <summary>Linear interpolation between order statistics (Hyndman and Fan type 7), as PairedComparison's intervals.</summary>
    private static double Quantile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
