using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.WordNet;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Measure.Text;

/// <summary>
/// similarity.spearman on the real all-MiniLM-L6-v2, fp32 and dynamic int8. No human-labelled pair set (STS-B,
/// SICK) is reachable from this environment's registries, so the pairs are a small hand-labelled set with clearly
/// separated scores (embedding, pooling, cosine and ranking wired right; not a benchmark figure), and 100 WordNet 3.0
/// gloss pairs scored by Wu-Palmer similarity (a published resource whose labels are a taxonomy, not people's judgments).
/// </summary>
public sealed class PairSimilarityTests(ITestOutputHelper output) : IDisposable
{
    private const string Pairs = """
        s1,s2,score
        A man is playing a guitar.,A man plays the guitar.,5
        A woman is slicing an onion.,Someone is cutting an onion.,4.6
        The cat sleeps on the sofa.,A cat is asleep on the couch.,4.8
        Children are playing football in the park.,Kids play soccer in a park.,4.4
        A plane is taking off.,An airplane departs from the runway.,4.2
        The stock market fell sharply today.,Share prices dropped a lot today.,4
        A man is riding a horse.,A man is riding a bicycle.,2.4
        A dog runs across the beach.,A dog is sleeping in its kennel.,1.8
        The chef is cooking pasta.,A woman is reading a newspaper.,0.4
        "It rains, and the streets are wet.",The moon orbits the earth.,0
        A child is drawing a picture.,The train leaves at noon.,0.2
        She plays the violin beautifully.,The recipe needs two eggs.,0
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-pairs-minilm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MiniLM_ranks_hand_labelled_pairs_by_similarity_in_fp32_and_int8()
    {
        var csv = Path.Combine(_dir, "pairs.csv");
        File.WriteAllText(csv, Pairs);
        var pairs = SentencePairs.Read(csv);
        var int8Path = Path.Combine(_dir, "int8.onnx");
        ModelWriter.Save(Quantize(ModelFile.Load(RealEncoder.MiniLmModel), ("mode", "dynamic")).Model, int8Path);

        var fp32 = PairSimilarity.Evaluate(RealEncoder.MiniLmModel, pairs, csv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);
        var int8 = PairSimilarity.Evaluate(int8Path, pairs, csv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);
        output.WriteLine($"fp32 ρ = {fp32.Spearman:0.0000}, int8 ρ = {int8.Spearman:0.0000}, change {int8.Spearman - fp32.Spearman:+0.0000;-0.0000}");

        Assert.Equal(12, fp32.Pairs);
        Assert.Equal(0, fp32.TruncatedSentences);
        Assert.True(fp32.Spearman > 0.8, $"fp32 ρ {fp32.Spearman}");
        Assert.True(int8.Spearman > 0.8, $"int8 ρ {int8.Spearman}");
        Assert.True(fp32.Cosines[0] > fp32.Cosines[^1], "a paraphrase is no closer than an unrelated pair");

        // The same model gives the same ρ: nothing in the evaluation is random.
        Assert.Equal(fp32.Spearman, PairSimilarity.Evaluate(RealEncoder.MiniLmModel, pairs, csv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default).Spearman);
    }

    [Fact]
    public void MiniLM_agrees_with_WordNet_similarity_on_published_gloss_pairs_and_int8_keeps_the_ranking()
    {
        // 100 of the WordNet 3.0 gloss pairs (labels: Wu-Palmer similarity, not human judgments; see WordNetPairs).
        var csv = WordNetPairs.Csv(100);
        var pairs = SentencePairs.Read(csv);
        var int8Path = Path.Combine(_dir, "int8.onnx");
        ModelWriter.Save(Quantize(ModelFile.Load(RealEncoder.MiniLmModel), ("mode", "dynamic")).Model, int8Path);

        var fp32 = PairSimilarity.Evaluate(RealEncoder.MiniLmModel, pairs, csv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);
        var int8 = PairSimilarity.Evaluate(int8Path, pairs, csv, RealEncoder.MiniLmVocab, 128, SessionConfig.Default);
        output.WriteLine($"WordNet pairs: fp32 ρ = {fp32.Spearman:0.0000}, int8 ρ = {int8.Spearman:0.0000}, change {int8.Spearman - fp32.Spearman:+0.0000;-0.0000}");

        Assert.Equal(100, fp32.Pairs);
        Assert.Equal(0, fp32.TruncatedSentences);
        Assert.True(fp32.Spearman > 0.5, $"fp32 ρ {fp32.Spearman}"); // a sentence encoder ranks WordNet's related pairs above random ones
        Assert.True(Math.Abs(int8.Spearman - fp32.Spearman) < 0.03, $"int8 ρ {int8.Spearman} vs fp32 {fp32.Spearman}");
    }
}
