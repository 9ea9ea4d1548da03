using System.Globalization;
using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Opens a CSV table for a tabular model: a header row, feature columns gathered into float tensors
/// [N, F] (one per model input, columns in the order given; float64 when the input is float64), and an
/// optional label column (int64 when every label is a whole number, else float64). Numbers use the
/// invariant culture ('.' decimal point); nan and inf are accepted, empty cells are not. The whole file
/// is parsed when opened so a bad cell stops the run before any model does.
/// </summary>
internal static class CsvDataset
{
    /// <summary>The input name used when neither the model nor the mapping names one.</summary>
    public const string DefaultInputName = "input";

    public static IEvalDataset Open(string path, EvalDataOptions options)
    {
        using var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var reader = new CsvRecordReader(text, options.CsvDelimiter, path);
        var header = reader.Next() ?? throw new PipelineGateException(
            PgCode.TensorFileInvalid,
            "The CSV file is empty; expected a header row naming the columns, then one row per sample.",
            path,
            hint: "Write the table with a header, e.g. pandas DataFrame.to_csv(path, index=False).");

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (field, index) in header.Select(static (f, i) => (f, i)))
        {
            var name = field.Text.Trim();
            if (!columns.TryAdd(name, index))
            {
                throw new PipelineGateException(
                    PgCode.TensorFileInvalid,
                    $"Column '{name}' appears twice in the header; every column needs a unique name.",
                    path,
                    field.Line,
                    field.Column,
                    hint: "Rename one of the columns.");
            }
        }

        var names = header.Select(static f => f.Text.Trim()).ToArray();
        int? labelColumn = null;
        if (options.LabelName is { } label)
        {
            labelColumn = columns.TryGetValue(label, out var li)
                ? li
                : throw DataChecks.MissingLabel(label, "a column of that name in the header", path, names);
        }

        var inputs = InputColumns(path, options, columns, names, labelColumn);
        var values = inputs.Select(static i => new List<double>()).ToArray();
        var labels = new List<double>();
        var integralLabels = true;
        var rows = 0;
        while (reader.Next() is { } record)
        {
            if (record.Count != names.Length)
            {
                throw new PipelineGateException(
                    PgCode.TensorFileInvalid,
                    $"This row has {record.Count.ToString(CultureInfo.InvariantCulture)} fields but the header has {names.Length.ToString(CultureInfo.InvariantCulture)}.",
                    path,
                    record[0].Line,
                    record[0].Column,
                    hint: "Check for a missing or extra delimiter; quote fields that contain the delimiter.");
            }

            for (var i = 0; i < inputs.Count; i++)
            {
                foreach (var c in inputs[i].Columns)
                {
                    values[i].Add(Parse(record[c], names[c], c, path, inputs[i].Double));
                }
            }

            if (labelColumn is { } lc)
            {
                var v = Parse(record[lc], names[lc], lc, path, asDouble: true);
                integralLabels &= double.IsFinite(v) && Math.Floor(v) == v && Math.Abs(v) < 9.0e15;
                labels.Add(v);
            }

            rows++;
        }

        var sources = new Dictionary<string, IArraySource>(StringComparer.Ordinal);
        foreach (var (input, i) in inputs.Select(static (x, i) => (x, i)))
        {
            long[] shape = [rows, input.Columns.Length];
            var tensor = input.Double
                ? TensorData.Create(values[i].ToArray(), shape)
                : TensorData.Create(values[i].Select(static v => (float)v).ToArray(), shape);
            sources[input.Input] = new TensorArraySource(ColumnText(input.Columns, names), path, tensor);
        }

        if (labelColumn is { } lcol)
        {
            var tensor = integralLabels
                ? TensorData.Create(labels.Select(static v => (long)v).ToArray(), rows)
                : TensorData.Create(labels.ToArray(), rows);
            sources[names[lcol]] = new TensorArraySource(names[lcol], path, tensor);
        }

        var mapping = inputs.ToDictionary(static i => i.Input, static i => (IReadOnlyList<string>)[i.Input], StringComparer.Ordinal);
        return ArrayDataset.Bind(
            path,
            EvalDataFormat.Csv,
            options with { InputMapping = mapping },
            sources.Keys.ToArray(),
            name => sources[name],
            name => $"columns for '{name}'",
            "Map the input to its feature columns in the evaluation settings.",
            labelColumn is { } l2 ? names[l2] : null,
            []);
    }

    private static List<(string Input, int[] Columns, bool Double)> InputColumns(
        string path, EvalDataOptions options, Dictionary<string, int> columns, string[] names, int? labelColumn)
    {
        var requested = DataChecks.Requested(options, oneSourcePerInput: false, path);
        var allFeatures = Enumerable.Range(0, names.Length).Where(c => c != labelColumn).ToArray();
        if (requested is null)
        {
            return [(DefaultInputName, allFeatures, false)];
        }

        var result = new List<(string, int[], bool)>(requested.Count);
        foreach (var (input, sources) in requested)
        {
            var isDouble = DataChecks.ModelInput(options, input) is { Type: TensorElementType.Double };
            int[] picked;
            if (options.InputMapping.ContainsKey(input))
            {
                picked = sources.Select(s => columns.TryGetValue(s, out var c)
                    ? c
                    : throw DataChecks.MissingInput(input, $"a column named '{s}' in the header", path, names, "Check the column names in the input mapping against the CSV header.")).ToArray();
            }
            else if (columns.TryGetValue(input, out var own))
            {
                picked = [own];
            }
            else if (requested.Count == 1)
            {
                // The usual tabular case: one input fed by every column except the label.
                picked = allFeatures;
            }
            else
            {
                throw DataChecks.MissingInput(
                    input,
                    $"a column named '{input}', or feature columns mapped to it",
                    path,
                    names,
                    "A model with several inputs needs each input mapped to its CSV columns in the evaluation settings.");
            }

            result.Add((input, picked, isDouble));
        }

        return result;
    }

    private static double Parse(CsvField field, string column, int index, string path, bool asDouble)
    {
        var s = field.Text.Trim();
        if (TryParse(s, asDouble, out var value))
        {
            return value;
        }

        var what = s.Length == 0 ? "is empty" : $"holds '{(s.Length > 40 ? s[..40] + "..." : s)}', which is not a number";
        throw new PipelineGateException(
            PgCode.TensorFileInvalid,
            $"The cell in column '{column}' (field {(index + 1).ToString(CultureInfo.InvariantCulture)}) {what}.",
            path,
            field.Line,
            field.Column,
            hint: s.Length == 0
                ? "Fill in missing values (or write nan if the model handles them) before evaluating."
                : "Numbers must use '.' as the decimal point and no thousands separators (invariant culture); encode categories as numbers.");
    }

    private static bool TryParse(string s, bool asDouble, out double value)
    {
        // numpy and pandas write nan/inf in lower case; .NET only knows NaN/Infinity.
        var lower = s.ToLowerInvariant();
        switch (lower)
        {
            case "nan" or "+nan" or "-nan":
                value = double.NaN;
                return true;
            case "inf" or "+inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
        }

        if (asDouble)
        {
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        // Parsed as float directly: going through double first can round twice.
        var ok = float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f);
        value = f;
        return ok;
    }

    private static string ColumnText(int[] columns, string[] names)
        => columns.Length == 1 ? names[columns[0]] : string.Join(",", columns.Select(c => names[c]));
}
