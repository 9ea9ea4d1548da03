using System.Security.Cryptography;
using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize;

/// <summary>
/// Builds a variant by applying its recipe steps in order, and caches the result by content: the key
/// is the hash of the input model's bytes, the recipe, the tool version and the bytes of the data the
/// steps read (calibration, and the evaluation data a max-drop search measures on), so an unchanged model
/// is not quantized again on every build and a changed calibration or search set is. The input model is
/// never modified.
/// </summary>
public static class VariantBuilder
{
    /// <summary>How long a build waits for another process building the same variant (quantizing a large model takes minutes).</summary>
    private static readonly TimeSpan BuildLockTimeout = TimeSpan.FromMinutes(30);

    public static (string Path, IReadOnlyList<string> Notes) Build(string modelPath, VariantConfig variant, string cacheDirectory, OptimizationContext context, string toolVersion)
    {
        if (variant.IsOriginal)
        {
            return (modelPath, []);
        }

        var key = CacheKey(modelPath, variant, context, toolVersion);
        var output = Path.Combine(cacheDirectory, $"{Sanitize(variant.Name)}-{key[..16]}.onnx");
        var notesFile = output + ".notes";
        if (File.Exists(output) && File.Exists(notesFile))
        {
            return (output, File.ReadAllLines(notesFile));
        }

        // Two gates on one work folder build a variant once: the second waits and then finds it built.
        // The model and its notes are each written atomically, notes last, so "both exist" means complete.
        Directory.CreateDirectory(cacheDirectory);
        using var building = IO.CrossProcessLock.Acquire(output + ".lock", BuildLockTimeout);
        if (File.Exists(output) && File.Exists(notesFile))
        {
            return (output, File.ReadAllLines(notesFile));
        }

        // Recipe steps rewrite the graph in node-list order: sort it (stably) first, as ONNX Runtime does when it loads it.
        var model = NodeOrder.Sorted(ModelFile.Load(modelPath));
        var notes = new List<string>();
        foreach (var step in variant.Steps)
        {
            try
            {
                var result = OptimizationSteps.Get(step).Apply(model, step, context);
                model = result.Model;
                notes.AddRange(result.Notes.Select(n => $"{step.Kind}: {n}"));
            }
            catch (PipelineGateException ex) when (ex.Diagnostic.File is null)
            {
                throw new PipelineGateException(ex.Diagnostic with { File = step.Location.File, Line = step.Location.Line, Column = step.Location.Column }, ex);
            }
        }

        ModelWriter.Save(model, output, new ModelSaveOptions { ExternalDataThreshold = model.Model.CalculateSize() > 1_500_000_000 ? 1 << 20 : null });
        IO.AtomicFile.WriteAllText(notesFile, string.Join("\n", notes));
        return (output, notes);
    }

    private static string CacheKey(string modelPath, VariantConfig variant, OptimizationContext context, string toolVersion)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendFile(hash, modelPath);

        hash.AppendData(Encoding.UTF8.GetBytes(string.Join(";", variant.Steps.Select(static s => s.ToString())) + "|" + toolVersion));
        // A quantize step whose weight-type is auto (written, or left to the default) builds a different model on a CPU
        // with VNNI than on one without, so a cache shared between such runners keys the choice too.
        if (variant.Steps.Any(static s => s.Kind == "quantize" && s.Options.GetValueOrDefault("weight-type", "auto") == "auto"))
        {
            hash.AppendData(Encoding.UTF8.GetBytes("|weight-type auto=" + Quantization.QuantizeOptions.AutoWeightType));
        }

        AppendStepData(hash, variant, context);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The data a step's result depends on, by content: a `calibration:` file or folder (static quantization), and the
    /// evaluation data when a step searches within `max-drop` (quantize fallback, prune, factorize) or is static
    /// quantization (whose fallback measures on it). The recipe text keys only the path, so without this a new
    /// calibration set or search set under the same name would reuse a variant built from the old one.
    /// </summary>
    private static void AppendStepData(IncrementalHash hash, VariantConfig variant, OptimizationContext context)
    {
        var readsEvaluation = false;
        foreach (var step in variant.Steps)
        {
            if (step.Options.TryGetValue("calibration", out var calibration) && !string.IsNullOrEmpty(calibration))
            {
                AppendPath(hash, "calibration", Path.GetFullPath(calibration, context.ConfigDirectory));
            }

            readsEvaluation |= step.Options.ContainsKey("max-drop") || (step.Kind == "quantize" && step.Options.GetValueOrDefault("mode") == "static");
        }

        if (readsEvaluation && context.EvaluationData is { } data)
        {
            AppendPath(hash, "data", data.Path);
            if (data.Tokenizer is { } tokenizer)
            {
                AppendPath(hash, "tokenizer", Path.GetFullPath(tokenizer, context.ConfigDirectory));
            }

            var settings = string.Join(";", data.Inputs.OrderBy(static kv => kv.Key, StringComparer.Ordinal).Select(static kv => $"{kv.Key}={kv.Value}"));
            hash.AppendData(Encoding.UTF8.GetBytes($"|data labels={data.Labels} limit={data.Limit} max-length={data.MaxLength} output={data.Output} inputs={settings}"));
        }
    }

    /// <summary>A file's bytes, or a folder's files (relative path and bytes, in ordinal order); a path that does not exist adds its name only (the step reports it).</summary>
    private static void AppendPath(IncrementalHash hash, string what, string path)
    {
        hash.AppendData(Encoding.UTF8.GetBytes($"|{what}:"));
        if (File.Exists(path))
        {
            AppendFile(hash, path);
        }
        else if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(path, f)).Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"|{file}|"));
                AppendFile(hash, Path.Combine(path, file));
            }
        }
        else
        {
            hash.AppendData(Encoding.UTF8.GetBytes("missing " + path));
        }
    }

    private static void AppendFile(IncrementalHash hash, string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        // The length after the bytes keeps "ab" + "c" apart from "a" + "bc" when files follow one another.
        hash.AppendData(BitConverter.GetBytes(stream.Length));
    }

    private static string Sanitize(string name) => new(name.Select(static c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
