#:project ../../src/PipelineGate.Onnx/PipelineGate.Onnx.csproj
#:property PublishAot=false

// Trains the bundled sample model: a 64-64-32-10 MLP on the UCI 8x8 handwritten digits, exported as
// ONNX together with its evaluation and calibration splits.
//
//   dotnet run samples/digits/train.cs -- <digits.csv.gz> <outdir>
//
// Everything is deterministic: a fixed seed drives a hand-written PRNG, the arithmetic is scalar
// float32 in a fixed order, and the only transcendental function that feeds the weights (exp) is
// implemented here rather than taken from the C runtime, so two runs give byte-identical files.

using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Validation;
using PipelineGate.Tensors;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run samples/digits/train.cs -- <digits.csv.gz> <outdir>");
    Console.Error.WriteLine("       (get digits.csv.gz with samples/digits/fetch-data.sh)");
    return 2;
}

var csvPath = args[0];
var outDir = Path.GetFullPath(args[1]);
var modelPath = Path.Combine(outDir, "digits_mlp.onnx");

var data = Digits.Load(csvPath);
var csvSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(csvPath)));
Console.WriteLine(Text.Of($"Loaded {data.Count} samples from {csvPath} (sha256 {csvSha256})"));

var rng = new SplitMix64(Config.Seed);
var split = Split.Stratified(data.Labels, rng);
Console.WriteLine(Text.Of($"Split: {split.Train.Length} train, {split.Eval.Length} eval, {split.Calibration.Length} calibration (seed {Config.Seed})"));

var trainX = data.Rows(split.Train);
var trainY = data.LabelsOf(split.Train);
var evalX = data.Rows(split.Eval);
var evalY = data.LabelsOf(split.Eval);

var mlp = Mlp.Create(rng);
Trainer.Run(mlp, trainX, trainY, evalX, evalY, rng);

var evalLogits = mlp.Logits(evalX, evalY.Length);
var evalCorrect = Metrics.Correct(evalLogits, evalY);
var evalAccuracy = (double)evalCorrect / evalY.Length;
Console.WriteLine(Text.Of($"Final eval accuracy (training code): {evalCorrect}/{evalY.Length} = {evalAccuracy:F4}"));

// The splits go out first: the exported model is then checked against the .npy files as written,
// which also proves they read back correctly.
NpyFile.Write(Path.Combine(outDir, "eval", "pixels.npy"), TensorData.Create(evalX, evalY.Length, Config.Inputs));
NpyFile.Write(Path.Combine(outDir, "eval", "labels.npy"), TensorData.Create(Array.ConvertAll(evalY, static y => (long)y), evalY.Length));
NpyFile.Write(Path.Combine(outDir, "calibration", "pixels.npy"),
    TensorData.Create(data.Rows(split.Calibration), split.Calibration.Length, Config.Inputs));

var model = OnnxExport.Build(mlp, new Dictionary<string, string>
{
    ["dataset"] = "UCI ML optical recognition of handwritten digits (8x8, 1797 samples; E. Alpaydin, C. Kaynak), "
        + "digits.csv.gz from Debian python3-sklearn 1.2.1+dfsg-1",
    ["dataset_sha256"] = csvSha256,
    ["licence"] = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
    ["preprocessing"] = "pixels 0..16 divided by 16, 8x8 row-major -> [batch,64] float32",
    ["classes"] = "digits 0-9; argmax of probabilities",
    ["eval_accuracy"] = evalAccuracy.ToString("F4", CultureInfo.InvariantCulture),
    ["eval_samples"] = evalY.Length.ToString(CultureInfo.InvariantCulture),
    ["seed"] = Config.Seed.ToString(CultureInfo.InvariantCulture),
    ["training"] = Text.Of($"Adam lr={Config.LearningRate} batch={Config.BatchSize} epochs={Config.Epochs}, softmax cross-entropy"),
});

// ModelWriter only saves a ModelFile, which comes from parsing; round-tripping the bytes also proves
// the message is well-formed before anything is written.
ModelWriter.Save(ModelFile.Load(model.ToByteArray(), "digits_mlp.onnx"), modelPath);
Console.WriteLine(Text.Of($"Wrote {modelPath} ({new FileInfo(modelPath).Length} bytes)"));

// Check the artefacts as a consumer would see them: reload, validate, and run the saved graph.
var saved = ModelFile.Load(modelPath);
var diagnostics = ModelValidator.Validate(saved);
foreach (var d in diagnostics)
{
    Console.WriteLine(d.ToString());
}

if (diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error))
{
    Console.Error.WriteLine("error: the exported model does not validate.");
    return 1;
}

var npyPixels = NpyFile.Read(Path.Combine(outDir, "eval", "pixels.npy"));
var npyLabels = NpyFile.Read(Path.Combine(outDir, "eval", "labels.npy")).AsSpan<long>().ToArray();
var values = GraphRunner.Run(saved.Graph, "pixels", npyPixels.ToFloatArray(), npyLabels.Length);
var exportedCorrect = Metrics.Correct(values["probabilities"], Array.ConvertAll(npyLabels, static y => (int)y));
var exportedAccuracy = (double)exportedCorrect / npyLabels.Length;
Console.WriteLine(Text.Of($"Eval accuracy of the exported model: {exportedCorrect}/{npyLabels.Length} = {exportedAccuracy:F4}"));

// Same operations in the same order on the same float32 weights: anything but bit-identical logits
// means the export (layout, endianness, node wiring) is wrong.
if (!values["logits"].AsSpan().SequenceEqual(evalLogits))
{
    Console.Error.WriteLine("error: the exported model's logits differ from the trained network's.");
    return 1;
}

if (exportedAccuracy < Config.RequiredAccuracy)
{
    Console.Error.WriteLine(Text.Of($"error: eval accuracy {exportedAccuracy:F4} is below {Config.RequiredAccuracy:F2}."));
    return 1;
}

return 0;

/// <summary>Every knob in one place; changing any of them changes the committed model.</summary>
internal static class Config
{
    public const ulong Seed = 20240611;
    public const int Inputs = 64;
    public const int Hidden1 = 64;
    public const int Hidden2 = 32;
    public const int Classes = 10;
    public const int EvalPercent = 20;
    public const int CalibrationPerClass = 20;
    public const int Epochs = 60;
    public const int BatchSize = 32;
    public const float LearningRate = 0.002f;
    public const double RequiredAccuracy = 0.95;
}

/// <summary>Invariant-culture string interpolation, so logs and metadata read the same on every machine.</summary>
internal static class Text
{
    public static string Of(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// SplitMix64: tiny, well-mixed, and fully specified here, so the stream of numbers (and hence the
/// split and the initial weights) cannot change with the .NET version the way System.Random may.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n). The modulo bias is below 2^-50 for these n, which is irrelevant here.</summary>
    public int NextInt(int n) => (int)(Next() % (ulong)n);

    /// <summary>Uniform in [0, 1) with 24 random bits: exactly representable, no rounding.</summary>
    public float NextFloat() => (Next() >> 40) * (1.0f / (1 << 24));

    public void Shuffle(int[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>The digits table: pixels scaled to [0, 1] and labels, in file order.</summary>
internal sealed class Digits(float[] pixels, int[] labels)
{
    public int Count => labels.Length;

    public int[] Labels => labels;

    /// <summary>
    /// Reads sklearn's digits.csv.gz: no header, one sample per line, 64 pixel counts (0..16, an 8x8
    /// image row by row) followed by the label (0..9).
    /// </summary>
    public static Digits Load(string path)
    {
        var pixels = new List<float>();
        var labels = new List<int>();
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.ASCII);
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != Config.Inputs + 1)
            {
                throw new InvalidDataException(Text.Of($"{path}:{lineNo}: expected {Config.Inputs + 1} fields, found {fields.Length}."));
            }

            for (var i = 0; i <= Config.Inputs; i++)
            {
                // Fields are integers, but sklearn's loader accepts "3.0" too, so parse as a number and insist it is whole.
                var v = double.Parse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture);
                var max = i < Config.Inputs ? 16 : Config.Classes - 1;
                if (v != Math.Floor(v) || v < 0 || v > max)
                {
                    throw new InvalidDataException(Text.Of($"{path}:{lineNo}: field {i + 1} is '{fields[i]}', expected a whole number in 0..{max}."));
                }

                if (i < Config.Inputs)
                {
                    // Division by a power of two is exact: the float32 inputs are precisely count/16.
                    pixels.Add((float)v / 16f);
                }
                else
                {
                    labels.Add((int)v);
                }
            }
        }

        return new Digits([.. pixels], [.. labels]);
    }

    public float[] Rows(int[] indices)
    {
        var result = new float[indices.Length * Config.Inputs];
        for (var r = 0; r < indices.Length; r++)
        {
            Array.Copy(pixels, indices[r] * Config.Inputs, result, r * Config.Inputs, Config.Inputs);
        }

        return result;
    }

    public int[] LabelsOf(int[] indices) => Array.ConvertAll(indices, i => labels[i]);
}

internal sealed record Split(int[] Train, int[] Eval, int[] Calibration)
{
    /// <summary>
    /// Per class: shuffle that class's rows, hold out 20% (rounded) for evaluation, train on the rest.
    /// Stratifying keeps every digit represented in proportion in the ~360-sample eval set. The
    /// calibration set is the first 20 shuffled training rows of each class (so it is balanced and
    /// disjoint from eval). Each set is returned in file order, which keeps the .npy files easy to
    /// trace back to CSV lines.
    /// </summary>
    public static Split Stratified(int[] labels, SplitMix64 rng)
    {
        var train = new List<int>();
        var eval = new List<int>();
        var calibration = new List<int>();
        for (var c = 0; c < Config.Classes; c++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            rng.Shuffle(rows);
            var nEval = (rows.Length * Config.EvalPercent + 50) / 100;
            eval.AddRange(rows[..nEval]);
            train.AddRange(rows[nEval..]);
            calibration.AddRange(rows[nEval..(nEval + Config.CalibrationPerClass)]);
        }

        int[] Sorted(List<int> l)
        {
            var a = l.ToArray();
            Array.Sort(a);
            return a;
        }

        return new Split(Sorted(train), Sorted(eval), Sorted(calibration));
    }
}

/// <summary>
/// A fully connected layer y = x·W + b with W stored [in, out] row-major, which is exactly the
/// layout ONNX MatMul expects for its second input, so the export copies the arrays unchanged.
/// </summary>
internal sealed class Dense(string name, int inputs, int outputs)
{
    public string Name { get; } = name;
    public int Inputs { get; } = inputs;
    public int Outputs { get; } = outputs;
    public float[] W { get; } = new float[inputs * outputs];
    public float[] B { get; } = new float[outputs];
    public float[] GradW { get; } = new float[inputs * outputs];
    public float[] GradB { get; } = new float[outputs];

    /// <summary>
    /// Accumulates x·W from zero and adds the bias afterwards (rather than starting from the bias):
    /// that is the order MatMul-then-Add performs it in, so the exported graph reproduces these
    /// activations bit for bit.
    /// </summary>
    public void Forward(float[] x, int n, float[] y)
    {
        Linear.MatMul(x, W, y, n, Inputs, Outputs);
        Linear.AddBias(y, B, n, Outputs);
    }

    /// <summary>Gradients for a batch given the layer input and dL/dy; fills dL/dx when asked.</summary>
    public void Backward(float[] x, float[] dy, int n, float[]? dx)
    {
        Array.Clear(GradW);
        Array.Clear(GradB);
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < Inputs; k++)
            {
                var xv = x[i * Inputs + k];
                var row = k * Outputs;
                for (var j = 0; j < Outputs; j++)
                {
                    GradW[row + j] += xv * dy[i * Outputs + j];
                }
            }

            for (var j = 0; j < Outputs; j++)
            {
                GradB[j] += dy[i * Outputs + j];
            }
        }

        if (dx is null)
        {
            return;
        }

        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < Inputs; k++)
            {
                var sum = 0f;
                var row = k * Outputs;
                for (var j = 0; j < Outputs; j++)
                {
                    sum += dy[i * Outputs + j] * W[row + j];
                }

                dx[i * Inputs + k] = sum;
            }
        }
    }
}

/// <summary>Kernels shared by training and by <see cref="GraphRunner"/>, so both round identically.</summary>
internal static class Linear
{
    public static void MatMul(float[] a, float[] b, float[] c, int n, int k, int m)
    {
        Array.Clear(c, 0, n * m);
        for (var i = 0; i < n; i++)
        {
            for (var p = 0; p < k; p++)
            {
                var av = a[i * k + p];
                var row = p * m;
                for (var j = 0; j < m; j++)
                {
                    c[i * m + j] += av * b[row + j];
                }
            }
        }
    }

    public static void AddBias(float[] y, float[] bias, int n, int m)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                y[i * m + j] += bias[j];
            }
        }
    }

    public static void Relu(float[] y, int count)
    {
        for (var i = 0; i < count; i++)
        {
            y[i] = y[i] > 0f ? y[i] : 0f;
        }
    }

    /// <summary>Row-wise softmax, max-shifted so exp never overflows.</summary>
    public static void Softmax(float[] z, float[] p, int n, int m)
    {
        for (var i = 0; i < n; i++)
        {
            var max = float.NegativeInfinity;
            for (var j = 0; j < m; j++)
            {
                max = Math.Max(max, z[i * m + j]);
            }

            var sum = 0.0;
            for (var j = 0; j < m; j++)
            {
                var e = DetMath.Exp((double)z[i * m + j] - max);
                p[i * m + j] = (float)e;
                sum += e;
            }

            for (var j = 0; j < m; j++)
            {
                p[i * m + j] = (float)(p[i * m + j] / sum);
            }
        }
    }
}

/// <summary>
/// exp built from IEEE-exact operations only. Math.Exp defers to the platform's C library, whose
/// last-bit results differ between glibc, musl and Windows; since softmax gradients feed the weights,
/// that would make the committed model depend on where it was trained.
/// </summary>
internal static class DetMath
{
    private const double Ln2 = 0.6931471805599453;

    public static double Exp(double x)
    {
        if (x < -700)
        {
            return 0; // below double's normal range; the softmax terms it stands for are negligible
        }

        if (x > 700)
        {
            return double.PositiveInfinity;
        }

        // x = k·ln2 + r with |r| <= ln2/2, then exp(x) = 2^k · exp(r); Taylor to r^13 is well below
        // double precision for |r| <= 0.35.
        var k = Math.Floor(x / Ln2 + 0.5);
        var r = x - k * Ln2;
        var term = 1.0;
        var sum = 1.0;
        for (var i = 1; i <= 13; i++)
        {
            term *= r / i;
            sum += term;
        }

        return Math.ScaleB(sum, (int)k);
    }
}

/// <summary>The network 64 → 64 → 32 → 10 with ReLU between layers.</summary>
internal sealed class Mlp
{
    public Dense[] Layers { get; } =
    [
        new("fc1", Config.Inputs, Config.Hidden1),
        new("fc2", Config.Hidden1, Config.Hidden2),
        new("fc3", Config.Hidden2, Config.Classes),
    ];

    /// <summary>
    /// He-uniform weights (limit sqrt(6/fan_in)), which keep ReLU activations at a steady scale
    /// through the layers; zero biases. Uniform needs only sqrt, which IEEE rounds exactly.
    /// </summary>
    public static Mlp Create(SplitMix64 rng)
    {
        var mlp = new Mlp();
        foreach (var layer in mlp.Layers)
        {
            var limit = MathF.Sqrt(6f / layer.Inputs);
            for (var i = 0; i < layer.W.Length; i++)
            {
                layer.W[i] = (2f * rng.NextFloat() - 1f) * limit;
            }
        }

        return mlp;
    }

    /// <summary>Logits for n rows; the activations of every layer are kept for backprop.</summary>
    public float[][] Forward(float[] x, int n)
    {
        var acts = new float[Layers.Length + 1][];
        acts[0] = x;
        for (var l = 0; l < Layers.Length; l++)
        {
            var layer = Layers[l];
            acts[l + 1] = new float[n * layer.Outputs];
            layer.Forward(acts[l], n, acts[l + 1]);
            if (l < Layers.Length - 1)
            {
                Linear.Relu(acts[l + 1], n * layer.Outputs);
            }
        }

        return acts;
    }

    public float[] Logits(float[] x, int n) => Forward(x, n)[^1];
}

internal sealed class Adam(Mlp mlp, float learningRate)
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly float[][] _m = mlp.Layers.SelectMany(l => new[] { new float[l.W.Length], new float[l.B.Length] }).ToArray();
    private readonly float[][] _v = mlp.Layers.SelectMany(l => new[] { new float[l.W.Length], new float[l.B.Length] }).ToArray();

    // Beta^t by repeated multiplication instead of Math.Pow, which is a C-runtime call.
    private double _beta1Power = 1;
    private double _beta2Power = 1;

    public void Step()
    {
        _beta1Power *= Beta1;
        _beta2Power *= Beta2;
        var c1 = (float)(1 - _beta1Power);
        var c2 = (float)(1 - _beta2Power);
        var s = 0;
        foreach (var layer in mlp.Layers)
        {
            Update(layer.W, layer.GradW, _m[s], _v[s], c1, c2);
            Update(layer.B, layer.GradB, _m[s + 1], _v[s + 1], c1, c2);
            s += 2;
        }
    }

    private void Update(float[] w, float[] g, float[] m, float[] v, float c1, float c2)
    {
        for (var i = 0; i < w.Length; i++)
        {
            m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
            v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
            w[i] -= learningRate * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + Epsilon);
        }
    }
}

internal static class Trainer
{
    /// <summary>
    /// Mini-batch Adam on mean softmax cross-entropy for a fixed number of epochs. The eval split is
    /// only reported, never used to pick an epoch, so its accuracy is an honest held-out estimate.
    /// </summary>
    public static void Run(Mlp mlp, float[] x, int[] y, float[] evalX, int[] evalY, SplitMix64 rng)
    {
        var n = y.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var adam = new Adam(mlp, Config.LearningRate);
        var batchX = new float[Config.BatchSize * Config.Inputs];
        var probs = new float[Config.BatchSize * Config.Classes];
        for (var epoch = 1; epoch <= Config.Epochs; epoch++)
        {
            rng.Shuffle(order);
            var lossSum = 0.0;
            for (var start = 0; start < n; start += Config.BatchSize)
            {
                var b = Math.Min(Config.BatchSize, n - start);
                for (var r = 0; r < b; r++)
                {
                    Array.Copy(x, order[start + r] * Config.Inputs, batchX, r * Config.Inputs, Config.Inputs);
                }

                var acts = mlp.Forward(batchX, b);
                Linear.Softmax(acts[^1], probs, b, Config.Classes);

                // d(mean CE)/dz = (p - onehot) / b.
                var grad = new float[b * Config.Classes];
                for (var r = 0; r < b; r++)
                {
                    var label = y[order[start + r]];
                    // Loss is only printed; Math.Log's platform differences cannot reach the weights.
                    lossSum -= Math.Log(Math.Max(probs[r * Config.Classes + label], 1e-30f));
                    for (var j = 0; j < Config.Classes; j++)
                    {
                        var target = j == label ? 1f : 0f;
                        grad[r * Config.Classes + j] = (probs[r * Config.Classes + j] - target) / b;
                    }
                }

                for (var l = mlp.Layers.Length - 1; l >= 0; l--)
                {
                    var layer = mlp.Layers[l];
                    var dx = l > 0 ? new float[b * layer.Inputs] : null;
                    layer.Backward(acts[l], grad, b, dx);
                    if (dx is not null)
                    {
                        // ReLU passes gradient only where its output was positive.
                        for (var i = 0; i < dx.Length; i++)
                        {
                            if (acts[l][i] <= 0f)
                            {
                                dx[i] = 0f;
                            }
                        }

                        grad = dx;
                    }
                }

                adam.Step();
            }

            if (epoch == 1 || epoch % 5 == 0)
            {
                var trainAcc = (double)Metrics.Correct(mlp.Logits(x, n), y) / n;
                var evalAcc = (double)Metrics.Correct(mlp.Logits(evalX, evalY.Length), evalY) / evalY.Length;
                Console.WriteLine(Text.Of($"epoch {epoch,3}  loss {lossSum / n:F4}  train acc {trainAcc:F4}  eval acc {evalAcc:F4}"));
            }
        }
    }
}

internal static class Metrics
{
    /// <summary>Rows whose argmax (first one on ties) is the label; works on logits or probabilities alike.</summary>
    public static int Correct(float[] scores, int[] labels)
    {
        var m = scores.Length / labels.Length;
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var best = 0;
            for (var j = 1; j < m; j++)
            {
                if (scores[i * m + j] > scores[i * m + best])
                {
                    best = j;
                }
            }

            correct += best == labels[i] ? 1 : 0;
        }

        return correct;
    }
}

internal static class OnnxExport
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    /// <summary>
    /// pixels[batch,64] → (MatMul, Add, Relu) ×2 → MatMul, Add → logits → Softmax → probabilities[batch,10].
    /// IR 8 / opset 17 is what current ONNX Runtime releases and older tooling both accept.
    /// </summary>
    public static ModelProto Build(Mlp mlp, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new GraphProto
        {
            Name = "digits_mlp",
            DocString = "MLP 64-64-32-10 (ReLU) for 8x8 handwritten digits; input is the 8x8 image row-major, pixel counts 0..16 divided by 16.",
        };
        graph.Input.Add(TensorValue("pixels", Config.Inputs));
        graph.Output.Add(TensorValue("probabilities", Config.Classes));

        var current = "pixels";
        for (var l = 0; l < mlp.Layers.Length; l++)
        {
            var layer = mlp.Layers[l];
            var name = layer.Name;
            var isLast = l == mlp.Layers.Length - 1;
            graph.Initializer.Add(FloatTensor($"{name}.weight", layer.W, layer.Inputs, layer.Outputs));
            graph.Initializer.Add(FloatTensor($"{name}.bias", layer.B, layer.Outputs));
            graph.Node.Add(Node($"{name}/MatMul", "MatMul", [current, $"{name}.weight"], $"{name}/matmul"));
            var added = isLast ? "logits" : $"{name}/linear";
            graph.Node.Add(Node($"{name}/Add", "Add", [$"{name}/matmul", $"{name}.bias"], added));
            current = added;
            if (!isLast)
            {
                current = $"{name}/relu";
                graph.Node.Add(Node($"{name}/Relu", "Relu", [added], current));
            }
        }

        var softmax = Node("softmax", "Softmax", [current], "probabilities");
        softmax.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
        graph.Node.Add(softmax);

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "pipelinegate-samples",
            ProducerVersion = "1",
            ModelVersion = 1,
            DocString = "PipelineGate sample: handwritten digit classifier trained by samples/digits/train.cs.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });

        // Sorted by key so the file does not depend on dictionary enumeration order.
        foreach (var (key, value) in metadata.OrderBy(static kv => kv.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static NodeProto Node(string name, string op, string[] inputs, string output)
    {
        var node = new NodeProto { Name = name, OpType = op };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto TensorValue(string name, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }

    /// <summary>raw_data is little-endian by the ONNX spec whatever the host, so write it explicitly.</summary>
    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        var tensor = new TensorProto { Name = name, DataType = FloatType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}

/// <summary>
/// Runs a saved graph of MatMul/Add/Relu/Softmax on [rows, features] tensors, reading weights back
/// through PipelineGate's own TensorProto conversion. It checks the export end to end without an
/// external runtime; it is deliberately no general ONNX interpreter.
/// </summary>
internal static class GraphRunner
{
    public static Dictionary<string, float[]> Run(GraphProto graph, string inputName, float[] input, int rows)
    {
        var values = new Dictionary<string, (float[] Data, long[] Shape)>(StringComparer.Ordinal)
        {
            [inputName] = (input, [rows, input.Length / rows]),
        };
        foreach (var init in graph.Initializer)
        {
            var t = TensorProtoConverter.ToTensorData(init);
            values[init.Name] = (t.ToFloatArray(), t.ShapeArray());
        }

        foreach (var node in graph.Node)
        {
            var (a, aShape) = values[node.Input[0]];
            var n = (int)aShape[0];
            var m = (int)aShape[1];
            switch (node.OpType)
            {
                case "MatMul":
                {
                    var (b, bShape) = values[node.Input[1]];
                    var outCols = (int)bShape[1];
                    var c = new float[n * outCols];
                    Linear.MatMul(a, b, c, n, m, outCols);
                    values[node.Output[0]] = (c, [n, outCols]);
                    break;
                }

                case "Add":
                {
                    var c = (float[])a.Clone();
                    Linear.AddBias(c, values[node.Input[1]].Data, n, m);
                    values[node.Output[0]] = (c, aShape);
                    break;
                }

                case "Relu":
                {
                    var c = (float[])a.Clone();
                    Linear.Relu(c, c.Length);
                    values[node.Output[0]] = (c, aShape);
                    break;
                }

                case "Softmax":
                {
                    var c = new float[a.Length];
                    Linear.Softmax(a, c, n, m);
                    values[node.Output[0]] = (c, aShape);
                    break;
                }

                default:
                    throw new NotSupportedException($"GraphRunner does not implement {node.OpType} (node {node.Name}).");
            }
        }

        return values.ToDictionary(static kv => kv.Key, static kv => kv.Value.Data, StringComparer.Ordinal);
    }
}
