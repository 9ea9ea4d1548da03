using PipelineGate.Gate.Config;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.EncoderFixtures;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// Static quantization of the real all-MiniLM-L6-v2 whose evaluation data is text (data: { text, tokenizer }): the
/// fallback's evaluator tokenizes the lines as evaluation does (it read the .txt as a table before, and the step
/// failed), and compares sentence embeddings, so the fidelity in its notes is the gate's fidelity.cosine.
/// </summary>
public sealed class StaticTextEvaluationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-static-text-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Text_evaluation_data_is_tokenized_and_the_notes_state_the_sentence_embedding_cosine()
    {
        var calibration = Path.Combine(_dir, "calibration.npz");
        NpzFile.Write(calibration, Sentences(4, 32), compressed: false);
        var text = Path.Combine(_dir, "cookies.txt");
        File.WriteAllLines(text, RealText.Cookies.Skip(100).Take(4));
        var data = new DataConfig(text, "cookies.txt", null, new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1)) { Tokenizer = RealEncoder.MiniLmVocab, MaxLength = 32 };

        var result = new QuantizeStep().Apply(MiniLm(), Step("quantize", ("mode", "static"), ("calibration", calibration)), new OptimizationContext(_dir, data));

        var note = Assert.Single(result.Notes, static n => n.StartsWith("fidelity vs float", StringComparison.Ordinal));
        Assert.StartsWith("fidelity vs float on 4 sample(s) of cookies.txt: cosine ", note, StringComparison.Ordinal);
        Assert.DoesNotContain("top-1 agreement", note, StringComparison.Ordinal); // embeddings are not class scores
        var output = Run(result.Model, Sentences(2, 32), "static")["last_hidden_state"];
        Assert.Equal([2L, output.Shape[1], 384L], output.Shape);
    }
}
