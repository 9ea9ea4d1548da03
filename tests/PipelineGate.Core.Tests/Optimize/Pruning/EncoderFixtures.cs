using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Tests.Optimize.Pruning;

/// <summary>all-MiniLM-L6-v2 (loaded once) and a padded batch of real sentences for it.</summary>
internal static class EncoderFixtures
{
    private static readonly Lazy<ModelFile> Model = new(() => ModelFile.Load(RealEncoder.MiniLmModel));

    private static readonly Lazy<Dictionary<string, TensorData>> Batch = new(() => Sentences(4, 48));

    /// <summary>A copy of the encoder (callers may edit it).</summary>
    public static ModelFile MiniLm() => Model.Value.Clone();

    public static Dictionary<string, TensorData> Feed => Batch.Value;

    /// <summary>The first <paramref name="count"/> real sentences, at most <paramref name="length"/> tokens, padded to the longest, with their mask.</summary>
    public static Dictionary<string, TensorData> Sentences(int count, int length)
    {
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var rows = RealText.Cookies.Take(count).Select(c => tokenizer.Encode(c, length, out _)).ToArray();
        var width = rows.Max(static r => r.Length);
        var ids = new long[count * width];
        var mask = new long[count * width];
        for (var b = 0; b < count; b++)
        {
            for (var s = 0; s < rows[b].Length; s++)
            {
                ids[(b * width) + s] = rows[b][s];
                mask[(b * width) + s] = 1;
            }
        }

        return new Dictionary<string, TensorData>
        {
            ["input_ids"] = TensorData.Create(ids, count, width),
            ["attention_mask"] = TensorData.Create(mask, count, width),
            ["token_type_ids"] = TensorData.Create(new long[count * width], count, width),
        };
    }

    /// <summary>Sets to zero, in place, the given positions along an axis of the constant input of a node.</summary>
    public static void Zero(ModelFile file, string weight, int axis, IEnumerable<int> positions)
    {
        var t = GraphConstants.Collect(file.Graph)[weight];
        var dims = t.Dims.ToArray();
        var data = WeightTensors.Read(t, file);
        var (outer, size, inner) = WeightTensors.AroundAxis(dims, axis);
        foreach (var p in positions)
        {
            for (var o = 0L; o < outer; o++)
            {
                Array.Clear(data, (int)(((o * size) + p) * inner), (int)inner);
            }
        }

        WeightTensors.Overwrite(t, data);
    }
}
