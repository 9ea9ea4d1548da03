using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Validation;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.Models;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

/// <summary>LSTM → com.microsoft DynamicQuantizeLSTM: layout and formulas by hand, then real speech through Silero VAD.</summary>
public sealed class DynamicLstmTests(ITestOutputHelper output)
{
    private const int Steps = 5, Batch = 2, InputSize = 3, Hidden = 4, Directions = 2;

    /// <summary>A bidirectional LSTM with seeded weights: x [5, 2, 3] → Y [5, 2, 2, 4], Y_h, Y_c [2, 2, 4].</summary>
    private static (ModelFile Model, float[] W, float[] R) TinyLstm(string? layoutOrOp = null)
    {
        var rng = new Random(7);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var w = Values(Directions * 4 * Hidden * InputSize);
        var r = Values(Directions * 4 * Hidden * Hidden);
        var b = Values(Directions * 8 * Hidden);
        var graph = new GraphProto { Name = "lstm" };
        graph.Input.Add(TinyModels.Value("x", TensorElementType.Float, $"{Steps}", $"{Batch}", $"{InputSize}"));
        graph.Output.Add(TinyModels.Value("y", TensorElementType.Float, $"{Steps}", $"{Directions}", $"{Batch}", $"{Hidden}"));
        graph.Output.Add(TinyModels.Value("y_h", TensorElementType.Float, $"{Directions}", $"{Batch}", $"{Hidden}"));
        graph.Output.Add(TinyModels.Value("y_c", TensorElementType.Float, $"{Directions}", $"{Batch}", $"{Hidden}"));
        graph.Initializer.Add(FloatInitializer("W", w, Directions, 4 * Hidden, InputSize));
        graph.Initializer.Add(FloatInitializer("R", r, Directions, 4 * Hidden, Hidden));
        graph.Initializer.Add(FloatInitializer("B", b, Directions, 8 * Hidden));
        var node = TinyModels.Node(layoutOrOp == "GRU" ? "GRU" : "LSTM", ["x", "W", "R", "B"], ["y", "y_h", "y_c"], "rnn");
        if (layoutOrOp == "GRU")
        {
            // GRU has 3 gates: reuse the first 3·H rows of each direction.
            graph.Initializer.Clear();
            graph.Initializer.Add(FloatInitializer("W", w.Take(Directions * 3 * Hidden * InputSize).ToArray(), Directions, 3 * Hidden, InputSize));
            graph.Initializer.Add(FloatInitializer("R", r.Take(Directions * 3 * Hidden * Hidden).ToArray(), Directions, 3 * Hidden, Hidden));
            graph.Initializer.Add(FloatInitializer("B", b.Take(Directions * 6 * Hidden).ToArray(), Directions, 6 * Hidden));
            node.Output.RemoveAt(2);
            graph.Output.RemoveAt(2);
        }

        node.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = Hidden });
        node.Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("bidirectional") });
        if (layoutOrOp == "layout")
        {
            node.Attribute.Add(new AttributeProto { Name = "layout", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        }

        graph.Node.Add(node);
        return (ModelFile.Load(TinyModels.Model(graph), "lstm.onnx"), w, r);
    }

    private static TensorProto Initializer(ModelFile m, string op, int input) =>
        m.Graph.Initializer.Single(t => t.Name == m.Graph.Node.Single(n => n.OpType == op).Input[input]);

    [Theory]
    [InlineData("uint8", true)]
    [InlineData("int8", true)]
    [InlineData("uint8", false)]
    public void Weights_are_transposed_per_direction_and_quantized_by_the_documented_formula(string weightType, bool perChannel)
    {
        var (model, w, _) = TinyLstm();

        var result = Quantize(model, ("mode", "dynamic"), ("weight-type", weightType), ("per-channel", perChannel ? "true" : "false"));

        var q = result.Model;
        var node = Assert.Single(q.Graph.Node);
        Assert.Equal(DynamicQuantizer.LstmOpType, node.OpType);
        Assert.Equal("com.microsoft", node.Domain);
        Assert.Equal(12, node.Input.Count);
        Assert.Equal(new[] { "", "", "", "" }, node.Input.Skip(4).Take(4)); // sequence_lens, initial_h, initial_c, P absent
        var wq = Initializer(q, DynamicQuantizer.LstmOpType, 1);
        var scale = TensorProtoConverter.ToTensorData(Initializer(q, DynamicQuantizer.LstmOpType, 8)).ToFloatArray();
        var zero = Initializer(q, DynamicQuantizer.LstmOpType, 9);
        Assert.Equal([Directions, InputSize, 4 * Hidden], wq.Dims);
        Assert.Equal(perChannel ? [Directions, 4 * Hidden] : new long[] { Directions }, zero.Dims);
        var unsigned = weightType == "uint8";
        Assert.Equal(unsigned ? (int)TensorElementType.UInt8 : (int)TensorElementType.Int8, wq.DataType);
        Assert.All(zero.RawData.ToByteArray(), z => Assert.Equal(unsigned ? 128 : 0, z));

        var values = wq.RawData.ToByteArray();
        for (var d = 0; d < Directions; d++)
        {
            for (var g = 0; g < 4 * Hidden; g++)
            {
                // Hand formula: scale = max|w| over the channel (or the direction) / 127; q = round(w / scale) (+128 for uint8).
                var group = Enumerable.Range(0, perChannel ? InputSize : 4 * Hidden * InputSize)
                    .Select(k => perChannel ? w[(((d * 4 * Hidden) + g) * InputSize) + k] : w[(d * 4 * Hidden * InputSize) + k]);
                var expectedScale = group.Max(Math.Abs) / 127f;
                Assert.Equal(expectedScale, scale[perChannel ? (d * 4 * Hidden) + g : d], 6);
                for (var k = 0; k < InputSize; k++)
                {
                    var original = w[(((d * 4 * Hidden) + g) * InputSize) + k];
                    var level = (int)Math.Round(original / expectedScale, MidpointRounding.ToEven);
                    var stored = values[(((d * InputSize) + k) * 4 * Hidden) + g];
                    Assert.Equal(level, unsigned ? stored - 128 : (sbyte)stored);
                }
            }
        }

        Assert.DoesNotContain(ModelValidator.Validate(q), static x => x.Severity == DiagnosticSeverity.Error);
        Assert.Contains(result.Notes, static n => n.StartsWith("1 LSTM node(s) quantized", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("uint8", false)]
    [InlineData("int8", true)]
    public void The_quantized_LSTM_runs_in_ONNX_Runtime_and_tracks_the_float_one(string weightType, bool reduceRange)
    {
        var (model, _, _) = TinyLstm();
        var rng = new Random(3);
        var feed = new Dictionary<string, TensorData>
        {
            ["x"] = TensorData.Create(Enumerable.Range(0, Steps * Batch * InputSize).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray(), Steps, Batch, InputSize),
        };

        var q = Quantize(model, ("mode", "dynamic"), ("weight-type", weightType), ("reduce-range", reduceRange ? "true" : "false")).Model;

        var expected = Run(model, feed, "f32");
        var actual = Run(q, feed, "q");
        foreach (var name in new[] { "y", "y_h", "y_c" })
        {
            var e = expected[name].ToFloatArray();
            var a = actual[name].ToFloatArray();
            Assert.Equal(e.Length, a.Length);
            var maxAbs = e.Zip(a, static (x, y) => Math.Abs(x - y)).Max();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{weightType}{(reduceRange ? " reduce-range" : "")} {name}: max |Δ| {maxAbs:G3}"));

            // 8-bit weights and activations over 5 steps: a few hundredths at most on outputs of magnitude ≤ 1
            // (a wrong layout or scale gives errors of order 1).
            Assert.True(maxAbs < 0.05, $"{name}: max |Δ| {maxAbs}");
        }
    }

    [Fact]
    public void Batch_first_layout_is_kept_float_with_a_reason()
    {
        var (model, _, _) = TinyLstm("layout");

        var ex = Assert.Throws<PipelineGateException>(() => Quantize(model, ("mode", "dynamic")));

        Assert.Equal(PgCode.RecipeNotApplicable, ex.Code);
        Assert.Contains("layout = 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GRU_has_no_dynamic_kernel_and_is_reported_not_rewritten()
    {
        var (model, _, _) = TinyLstm("GRU");

        var ex = Assert.Throws<PipelineGateException>(() => Quantize(model, ("mode", "dynamic")));

        Assert.Equal(PgCode.RecipeNotApplicable, ex.Code);
        Assert.Contains("no dynamic-quantized GRU kernel", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Excluding_LSTM_by_op_type_keeps_it_float()
    {
        var (model, _, _) = TinyLstm();

        var ex = Assert.Throws<PipelineGateException>(() => Quantize(model, ("mode", "dynamic"), ("exclude-op", "LSTM")));

        Assert.Contains("excluded by the recipe", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Silero VAD v4 keeps its LSTMs inside If bodies (one per sample rate). Streams the nine real speech
    /// clips of Debian's alsa-utils through the float and the quantized model, carrying the LSTM state
    /// from frame to frame as a voice detector does, and compares the speech probabilities.
    /// </summary>
    [Theory]
    [InlineData("uint8")]
    [InlineData("int8")]
    public void Silero_LSTMs_inside_If_bodies_are_quantized_and_agree_on_real_speech(string weightType)
    {
        var input = ModelFile.Load(RealModels.SileroVad);
        var lstms = ModelWalker.Graphs(input.Model).SelectMany(static g => g.Node).Count(static n => n.OpType == "LSTM");

        var result = Quantize(input, ("mode", "dynamic"), ("weight-type", weightType), ("reduce-range", weightType == "int8" ? "true" : "false"));

        var nodes = ModelWalker.Graphs(result.Model.Model).SelectMany(static g => g.Node).ToList();
        Assert.True(lstms > 0);
        Assert.Equal(lstms, nodes.Count(static n => n.OpType == DynamicQuantizer.LstmOpType));
        Assert.DoesNotContain(nodes, static n => n.OpType == "LSTM");
        var ratio = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;

        using var f32 = InferenceSession.Create(input.ToByteArray(), "f32");
        using var q8 = InferenceSession.Create(result.Model.ToByteArray(), "q8");
        var reference = new List<float>();
        var candidate = new List<float>();
        foreach (var clip in RealAudio.SpeakerTestClips)
        {
            reference.AddRange(Stream(f32, RealAudio.ReadMono16k(clip)));
            candidate.AddRange(Stream(q8, RealAudio.ReadMono16k(clip)));
        }

        var maxAbs = reference.Zip(candidate, static (a, b) => Math.Abs(a - b)).Max();
        var agree = reference.Zip(candidate, static (a, b) => (a >= 0.5f) == (b >= 0.5f)).Count(static x => x);
        var speech = reference.Count(static p => p >= 0.5f);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"silero dynamic {weightType}: size ratio {ratio:0.000}; {reference.Count} frames of real audio ({speech} speech by the float model); decisions agree {agree}/{reference.Count}; max |Δp| {maxAbs:0.0000}"));
        output.WriteLine(string.Join(Environment.NewLine, result.Notes));

        Assert.True(speech > reference.Count / 4 && speech < reference.Count, $"the clips should mix speech and silence; {speech}/{reference.Count} speech");
        Assert.True(agree >= reference.Count - 2, $"speech/no-speech decisions agree on {agree}/{reference.Count} frames");
        Assert.True(maxAbs < 0.1, $"max |Δp| {maxAbs}");
    }

    [Fact]
    public void OCR_recognizer_dynamic_int8_reads_the_same_characters_on_text_lines_of_real_digits()
    {
        var input = ModelFile.Load(RealModels.OcrRecognizer);

        var result = Quantize(input, ("mode", "dynamic"));

        Assert.Equal(9, result.Model.Graph.Node.Count(static n => n.OpType == DynamicQuantizer.OpType));
        var ratio = (double)result.Model.ToByteArray().Length / input.ToByteArray().Length;
        var agreements = new List<double>();
        foreach (var seed in new[] { 7, 8, 9 })
        {
            var feed = new Dictionary<string, TensorData> { ["x"] = TextLine(48, 320, seed) };
            var reference = Run(input, feed, "f32")["softmax_11.tmp_0"];
            var candidate = Run(result.Model, feed, "q8")["softmax_11.tmp_0"];
            Assert.Equal((0L, 0L), NonFinite(candidate));
            agreements.Add(Top1Agreement(candidate, reference));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recognizer dynamic, line {seed}: per-timestep top-1 agreement {agreements[^1]:0.0000}, relative L2 {RelativeL2(candidate, reference):0.0000}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"size ratio {ratio:0.0000}"));
        Assert.True(ratio < 0.75, $"size ratio {ratio}");
        Assert.True(agreements.Average() >= 0.95, $"mean per-timestep top-1 agreement {agreements.Average()}");
    }

    /// <summary>Runs 1536-sample frames through a Silero session, carrying h and c; returns one speech probability per frame.</summary>
    private static List<float> Stream(InferenceSession session, float[] audio)
    {
        var h = TensorData.Create(new float[128], 2, 1, 64);
        var c = TensorData.Create(new float[128], 2, 1, 64);
        var sr = TensorData.Create(new long[] { 16000 });
        var probabilities = new List<float>();
        for (var start = 0; start + 1536 <= audio.Length; start += 1536)
        {
            var outputs = session.Run(new Dictionary<string, TensorData>
            {
                ["input"] = TensorData.Create(audio.AsSpan(start, 1536).ToArray(), 1, 1536),
                ["sr"] = sr,
                ["h"] = h,
                ["c"] = c,
            });
            probabilities.Add(outputs["output"].ToFloatArray()[0]);
            h = outputs["hn"];
            c = outputs["cn"];
        }

        return probabilities;
    }
}
