using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// ONNX test data sets: a folder of <c>test_data_set_N</c> folders, each with <c>input_i.pb</c> and
/// optionally <c>output_i.pb</c> TensorProto files (or one such set folder on its own). Each set is one
/// sample or one batch; the sets are joined along a new or the existing leading axis. Opening reads
/// every set once to check names, types, shapes and counts; batches then re-read only the sets they
/// cover, keeping one set in memory at a time.
/// </summary>
internal sealed class OnnxTestDataDataset : IEvalDataset
{
    private const string SetPrefix = "test_data_set_";

    private readonly List<SetInfo> _sets;
    private readonly long[] _starts;
    private readonly bool _newAxis;
    private readonly int _labelOutput;
    private int _cachedSet = -1;
    private TensorData[] _cachedInputs = [];
    private TensorData[] _cachedOutputs = [];

    private OnnxTestDataDataset(string source, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, List<SetInfo> sets, bool newAxis, int labelOutput)
    {
        Source = source;
        InputNames = inputs;
        ReferenceOutputNames = outputs;
        _sets = sets;
        _newAxis = newAxis;
        _labelOutput = labelOutput;
        _starts = new long[sets.Count + 1];
        for (var i = 0; i < sets.Count; i++)
        {
            _starts[i + 1] = _starts[i] + sets[i].Samples;
        }

        if (_starts[^1] > int.MaxValue)
        {
            throw new PipelineGateException(PgCode.DataShapeMismatch, $"The test data sets hold {_starts[^1].ToString(CultureInfo.InvariantCulture)} samples; at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)} are supported.", source, hint: "Split the evaluation set.");
        }

        Count = (int)_starts[^1];
    }

    public string Source { get; }

    public EvalDataFormat Format => EvalDataFormat.OnnxTestData;

    public IReadOnlyList<string> InputNames { get; }

    public int Count { get; }

    public string? LabelName => _labelOutput < 0 ? null : ReferenceOutputNames[_labelOutput];

    public IReadOnlyList<string> ReferenceOutputNames { get; }

    /// <summary>True when <paramref name="folder"/> holds test_data_set_N folders or is one.</summary>
    public static bool LooksLikeTestData(string folder)
        => Directory.EnumerateDirectories(folder, SetPrefix + "*").Any() || Numbered(folder, "input_").Count > 0;

    public static OnnxTestDataDataset Open(string path, EvalDataOptions options)
    {
        var setFolders = Directory.GetDirectories(path, SetPrefix + "*")
            .Select(static d => (Folder: d, Index: Suffix(Path.GetFileName(d), SetPrefix)))
            .Where(static s => s.Index >= 0)
            .OrderBy(static s => s.Index)
            .Select(static s => s.Folder)
            .ToList();
        if (setFolders.Count == 0)
        {
            if (Numbered(path, "input_").Count == 0)
            {
                throw new PipelineGateException(
                    PgCode.DataNotFound,
                    "The folder holds no test_data_set_N folders and no input_i.pb files; expected ONNX test data sets.",
                    path,
                    hint: "Point at the folder that contains test_data_set_0, test_data_set_1, ... (each with input_0.pb, ...).");
            }

            setFolders.Add(path);
        }

        // The first set decides which tensors feed which inputs and whether sets are samples or batches.
        var first = ReadSet(setFolders[0]);
        var requested = DataChecks.Requested(options, oneSourcePerInput: true, path);
        var chosen = new List<(string Input, string Source, int Position)>();
        if (requested is null)
        {
            for (var i = 0; i < first.Inputs.Count; i++)
            {
                chosen.Add((first.Inputs[i].Key, first.Inputs[i].Key, i));
            }
        }
        else
        {
            for (var i = 0; i < requested.Count; i++)
            {
                chosen.Add((requested[i].Input, requested[i].Sources[0], i));
            }
        }

        if (chosen.Count == 0)
        {
            throw new PipelineGateException(
                PgCode.DataMissingInput,
                "The test data set holds no input_i.pb files.",
                setFolders[0],
                hint: "Save one input_i.pb per model input in every test_data_set_N folder.");
        }

        var firstInputs = chosen.Select(c => Find(first.Inputs, c.Input, c.Source, c.Position, setFolders[0])).ToList();
        var newAxis = DecideStacking(options, chosen, firstInputs, setFolders[0]);
        var outputNames = first.Outputs.Select(static o => o.Key).ToList();

        var labelOutput = -1;
        if (options.LabelName is { } label)
        {
            labelOutput = outputNames.IndexOf(label);
            if (labelOutput < 0)
            {
                throw DataChecks.MissingLabel(label, "a reference output (output_i.pb) of that name", setFolders[0], outputNames);
            }
        }

        var sets = new List<SetInfo>(setFolders.Count);
        SetTensors? reference = null;
        foreach (var folder in setFolders)
        {
            var set = ReferenceEquals(folder, setFolders[0]) ? first : ReadSet(folder);
            var inputs = chosen.Select(c => Find(set.Inputs, c.Input, c.Source, c.Position, folder)).ToList();
            var outputs = outputNames.Select(n => set.Outputs.FirstOrDefault(o => o.Key == n) ?? throw MissingOutput(n, folder, set)).ToList();
            var current = new SetTensors(
                inputs.Select(t => newAxis ? t with { Data = TensorRows.AddBatchAxis(t.Data) } : t).ToList(),
                outputs.Select(t => newAxis ? t with { Data = TensorRows.AddBatchAxis(t.Data) } : t).ToList());

            for (var i = 0; i < chosen.Count; i++)
            {
                var t = current.Inputs[i];
                DataChecks.CheckArray(DataChecks.ModelInput(options, chosen[i].Input), new TensorArraySource(t.Key, t.File, t.Data), EvalDataFormat.OnnxTestData);
            }

            reference ??= current;
            var samples = CheckSet(current, reference);
            sets.Add(new SetInfo(current.Inputs.Select(static t => t.File).ToArray(), current.Outputs.Select(static t => t.File).ToArray(), samples));
        }

        return new OnnxTestDataDataset(path, chosen.Select(static c => c.Input).ToArray(), outputNames, sets, newAxis, labelOutput);
    }

    public EvalBatch ReadBatch(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - start);

        var inputParts = InputNames.Select(static _ => new List<TensorData>()).ToArray();
        var outputParts = ReferenceOutputNames.Select(static _ => new List<TensorData>()).ToArray();
        var set = 0;
        while (set < _sets.Count - 1 && _starts[set + 1] <= start)
        {
            set++;
        }

        // Runs at least once so that an empty batch still has the right types and trailing dimensions.
        var done = 0;
        do
        {
            Load(set);
            var offset = (int)(start + done - _starts[set]);
            var take = Math.Min(_sets[set].Samples - offset, count - done);
            for (var i = 0; i < inputParts.Length; i++)
            {
                inputParts[i].Add(TensorRows.Slice(_cachedInputs[i], offset, take));
            }

            for (var i = 0; i < outputParts.Length; i++)
            {
                outputParts[i].Add(TensorRows.Slice(_cachedOutputs[i], offset, take));
            }

            done += take;
            set++;
        }
        while (done < count);

        var inputs = new Dictionary<string, TensorData>(InputNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < inputParts.Length; i++)
        {
            inputs[InputNames[i]] = TensorRows.Concat(inputParts[i]);
        }

        var outputs = new Dictionary<string, TensorData>(ReferenceOutputNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < outputParts.Length; i++)
        {
            outputs[ReferenceOutputNames[i]] = TensorRows.Concat(outputParts[i]);
        }

        var labels = _labelOutput < 0 ? null : outputs[ReferenceOutputNames[_labelOutput]];
        return new EvalBatch(start, count, inputs, labels, outputs);
    }

    public void Dispose()
    {
        _cachedSet = -1;
        _cachedInputs = [];
        _cachedOutputs = [];
    }

    private void Load(int set)
    {
        if (_cachedSet == set)
        {
            return;
        }

        _cachedInputs = _sets[set].InputFiles.Select(ReadTensor).ToArray();
        _cachedOutputs = _sets[set].OutputFiles.Select(ReadTensor).ToArray();
        _cachedSet = set;
    }

    private TensorData ReadTensor(string file)
    {
        var data = TensorIO.ReadProto(file).Data;
        return _newAxis ? TensorRows.AddBatchAxis(data) : data;
    }

    private static bool DecideStacking(EvalDataOptions options, List<(string Input, string Source, int Position)> chosen, List<PbTensor> tensors, string folder)
    {
        switch (options.Stacking)
        {
            case TestDataStacking.NewAxis:
                return true;
            case TestDataStacking.ExistingAxis:
                return false;
        }

        bool? decided = null;
        for (var i = 0; i < chosen.Count; i++)
        {
            if (DataChecks.ModelInput(options, chosen[i].Input) is not { } m)
            {
                continue;
            }

            var rank = tensors[i].Data.Rank;
            bool? vote = m.Dims.Length == rank ? false : m.Dims.Length == rank + 1 ? true : null;
            if (vote is null)
            {
                // Leave the detailed rank message to the shape check.
                continue;
            }

            if (decided is { } d && d != vote)
            {
                throw new PipelineGateException(
                    PgCode.DataShapeMismatch,
                    $"Some tensors carry a batch axis and some do not ('{tensors[i].Key}' in {Path.GetFileName(tensors[i].File)} has shape {Shapes.Text(tensors[i].Data.Shape)} for model input '{m.Name}' {Shapes.WithBatch(m.Dims)}).",
                    folder,
                    hint: "Store all inputs of a set either with the batch axis or without it, or set the stacking explicitly.");
            }

            decided = vote;
        }

        if (decided is { } result)
        {
            return result;
        }

        // Without model information: the tensors carry a batch axis when their leading dimensions agree.
        return !(tensors.Count > 0 && tensors.All(t => t.Data.Rank >= 1 && t.Data.Shape[0] == tensors[0].Data.Shape[0]));
    }

    /// <summary>Checks a set against the first set and returns its sample count.</summary>
    private static int CheckSet(SetTensors set, SetTensors reference)
    {
        var n = set.Inputs.Count > 0 ? set.Inputs[0].Data.Shape[0] : 0;
        foreach (var (t, r) in set.Inputs.Zip(reference.Inputs).Concat(set.Outputs.Zip(reference.Outputs)))
        {
            if (t.Data.Rank == 0)
            {
                throw new PipelineGateException(
                    PgCode.DataShapeMismatch,
                    $"Tensor '{t.Key}' is a scalar, so it has no batch axis to join sets along.",
                    t.File,
                    hint: "If each set is a single sample without a batch axis, set the stacking to a new axis.");
            }

            if (t.Data.ElementType != r.Data.ElementType)
            {
                throw new PipelineGateException(
                    PgCode.DataTypeMismatch,
                    $"Tensor '{t.Key}' is {TensorElementTypeInfo.Name(t.Data.ElementType)} here but {TensorElementTypeInfo.Name(r.Data.ElementType)} in {Where(r.File)}; every test data set must use the same types.",
                    t.File,
                    hint: "Re-create the test data sets from arrays of the same dtype.");
            }

            if (t.Data.Rank != r.Data.Rank || !t.Data.Shape.Skip(1).SequenceEqual(r.Data.Shape.Skip(1)))
            {
                throw new PipelineGateException(
                    PgCode.DataShapeMismatch,
                    $"Tensor '{t.Key}' has shape {Shapes.Text(t.Data.Shape)} here but {Shapes.Text(r.Data.Shape)} in {Where(r.File)}; sets can only be joined when all dimensions but the first agree.",
                    t.File,
                    hint: "Give every test data set the same per-sample shape (same preprocessing).");
            }

            if (t.Data.Shape[0] != n)
            {
                var isOutput = set.Outputs.Contains(t);
                throw new PipelineGateException(
                    isOutput ? PgCode.DataShapeMismatch : PgCode.DataLabelMismatch,
                    $"Tensor '{t.Key}' has {DataChecks.Count(t.Data.Shape[0])} samples along its first axis but '{set.Inputs[0].Key}' has {DataChecks.Count(n)}; within a set every tensor needs the same batch size.",
                    t.File,
                    hint: isOutput
                        ? "If each set is a single sample without a batch axis, set the stacking to a new axis."
                        : "Save all inputs of a set with the same batch size.");
            }
        }

        return (int)n;
    }

    private static PbTensor Find(List<PbTensor> tensors, string input, string source, int position, string folder)
    {
        var found = tensors.FirstOrDefault(t => t.ProtoName == source)
            ?? tensors.FirstOrDefault(t => t.Stem == source)
            ?? (tensors.All(static t => t.ProtoName.Length == 0) && position < tensors.Count ? tensors[position] : null);
        return found ?? throw DataChecks.MissingInput(
            input,
            $"a tensor named '{source}' (TensorProto name, or file input_i) in {Path.GetFileName(folder)}",
            folder,
            tensors.Select(static t => t.Key),
            "Name the tensors after the model inputs when saving them (TensorProto.name), or map the input to a tensor name in the evaluation settings.");
    }

    private static PipelineGateException MissingOutput(string name, string folder, SetTensors set)
        => new(
            PgCode.DataNotFound,
            $"Reference output '{name}' of the first test data set is missing here; found {DataChecks.List(set.Outputs.Select(static o => o.Key))}.",
            folder,
            hint: "Every test data set needs the same output_i.pb files.");

    private static SetTensors ReadSet(string folder)
    {
        var inputs = Numbered(folder, "input_").Select(f => ReadPb(f)).ToList();
        var outputs = Numbered(folder, "output_").Select(f => ReadPb(f)).ToList();
        return new SetTensors(inputs, outputs);
    }

    private static PbTensor ReadPb(string file)
    {
        var (name, data) = TensorIO.ReadProto(file);
        var stem = Path.GetFileNameWithoutExtension(file);
        return new PbTensor(name.Length > 0 ? name : stem, name, stem, file, data);
    }

    /// <summary>prefix_0.pb, prefix_1.pb, ... in numeric order.</summary>
    private static List<string> Numbered(string folder, string prefix)
        => Directory.GetFiles(folder, prefix + "*.pb")
            .Select(static f => (File: f, Stem: Path.GetFileNameWithoutExtension(f)))
            .Select(f => (f.File, Index: Suffix(f.Stem, prefix)))
            .Where(static f => f.Index >= 0)
            .OrderBy(static f => f.Index)
            .Select(static f => f.File)
            .ToList();

    private static long Suffix(string name, string prefix)
        => name.StartsWith(prefix, StringComparison.Ordinal)
           && long.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;

    private static string Where(string file) => Path.GetFileName(Path.GetDirectoryName(file)) + "/" + Path.GetFileName(file);

    /// <summary>One tensor file: display key (proto name, else file stem), proto name, file stem, path, data.</summary>
    private sealed record PbTensor(string Key, string ProtoName, string Stem, string File, TensorData Data);

    private sealed record SetTensors(List<PbTensor> Inputs, List<PbTensor> Outputs);

    private sealed record SetInfo(string[] InputFiles, string[] OutputFiles, int Samples);
}
