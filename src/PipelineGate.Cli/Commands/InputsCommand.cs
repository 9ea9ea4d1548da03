using System.CommandLine;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate inputs [--config F]</c>: every file a gate run reads (the config, models with their
/// external data, evaluation and calibration data), one absolute path per line. The MSBuild task hashes
/// these to skip the gate when nothing changed.
/// </summary>
internal static class InputsCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The config file.", DefaultValueFactory = _ => "" };
        var command = new Command("inputs", "List every file the gate reads (for incremental builds).") { config };
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            foreach (var file in Collect(ConfigLoader.Load(CheckCommand.ResolveConfig(parse.GetValue(config)!))))
            {
                Console.Out.WriteLine(file);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    internal static IEnumerable<string> Collect(GateConfig config)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal) { Path.GetFullPath(config.Path) };
        foreach (var model in config.Models)
        {
            files.Add(model.Path);
            var file = ModelFile.Load(model.Path);
            foreach (var (tensor, where) in ModelWalker.Tensors(file.Model))
            {
                if (ExternalDataInfo.IsExternal(tensor))
                {
                    files.Add(ExternalDataResolver.Resolve(file, tensor, where).Path);
                }
            }

            var dataPaths = new List<string>();
            if (model.Data is not null)
            {
                dataPaths.Add(model.Data.Path);
                if (model.Data.Tokenizer is { } tokenizer)
                {
                    dataPaths.Add(tokenizer); // text data is read through it: a new vocabulary changes every fidelity figure
                }
            }

            if (model.Pairs is not null)
            {
                dataPaths.Add(model.Pairs.Path);
                dataPaths.Add(model.Pairs.Tokenizer);
            }

            dataPaths.AddRange(model.Variants.SelectMany(static v => v.Steps).Select(static s => s.Options.GetValueOrDefault("calibration")).OfType<string>());
            foreach (var path in dataPaths)
            {
                if (Directory.Exists(path))
                {
                    files.UnionWith(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(Path.GetFullPath));
                }
                else if (File.Exists(path))
                {
                    files.Add(Path.GetFullPath(path));
                }
            }
        }

        return files;
    }
}
