using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// A text encoder is timed on its first real sentence, tokenized as evaluation tokenizes it. Before, the timing
/// inputs opened the text file without its tokenizer, so the model's int64 token inputs were missing (PG2024).
/// </summary>
public sealed class TimingInputsTextTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-timing-text-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Text_data_is_tokenized_into_the_token_inputs()
    {
        Directory.CreateDirectory(_dir);
        var text = Path.Combine(_dir, "sentences.txt");
        File.WriteAllLines(text, ["A classic is something that everyone wants to have read and nobody wants to read.", "A horse! A horse! My kingdom for a horse!"]);
        var data = new DataConfig(text, "sentences.txt", null, new Dictionary<string, string>(StringComparer.Ordinal), null, new SourceLocation(Path.Combine(_dir, "pipelinegate.yml"), 1, 1))
        {
            Tokenizer = RealEncoder.MiniLmVocab,
        };

        var inputs = TimingInputs.From(RealEncoder.MiniLmModel, data, SessionConfig.Default);

        Assert.NotNull(inputs);
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], inputs.Keys.Order(StringComparer.Ordinal));
        var ids = inputs["input_ids"];
        Assert.Equal(TensorElementType.Int64, ids.ElementType);
        Assert.Equal(1, ids.Shape[0]); // one sentence: the model's batch dimension is symbolic
        var row = ids.AsSpan<long>().ToArray();
        Assert.Equal(101, row[0]);   // [CLS]
        Assert.Equal(102, row[^1]);  // [SEP]
        Assert.Equal(Enumerable.Repeat(1L, row.Length), inputs["attention_mask"].AsSpan<long>().ToArray());
    }
}
