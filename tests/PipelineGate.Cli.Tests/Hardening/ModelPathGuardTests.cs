using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using Xunit;

namespace PipelineGate.Cli.Tests.Hardening;

/// <summary>
/// Every command that takes a model path refuses a model whose external data file is a symbolic link leading out
/// of the model's folder (PG2006, exit 2), and so does the one place a path reaches ONNX Runtime
/// (<see cref="InferenceSession.Create(string, SessionConfig?)"/>). The file the link leads to holds exactly the
/// model's weights: the same model with that file copied in instead of linked runs every command with exit 0, so
/// the refusal comes from the check, not from ONNX Runtime failing on the data. The fuzz hang's mutant (PG2062)
/// stops each command with exit 2 instead of hanging in ORT's session creation.
/// </summary>
public sealed class ModelPathGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-path-guard-").FullName;
    private readonly string _linked;
    private readonly string _copied;

    public ModelPathGuardTests()
    {
        // The digits sample with every initializer in weights.bin: once with the file beside it, once with a link to
        // the same bytes in a folder outside the model's.
        var source = ModelFile.Load(CliProcess.Sample("digits", "digits_mlp.onnx"));
        var save = new ModelSaveOptions { ExternalDataThreshold = 0, ExternalDataFileName = "weights.bin" };
        _copied = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "copied")).FullName, "model.onnx");
        ModelWriter.Save(source, _copied, save);
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        _linked = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "linked")).FullName, "model.onnx");
        ModelWriter.Save(source, _linked, save);
        File.Move(Path.Combine(_dir, "linked", "weights.bin"), Path.Combine(outside, "weights.bin"));
        File.CreateSymbolicLink(Path.Combine(_dir, "linked", "weights.bin"), Path.Combine(outside, "weights.bin"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "copied", "weights.bin")), File.ReadAllBytes(Path.Combine(outside, "weights.bin")));
        foreach (var which in new[] { "linked", "copied" })
        {
            File.WriteAllText(Path.Combine(_dir, which, "pipelinegate.yml"), """
                version: 1
                measure: { duration: 20ms, min-samples: 3, max-samples: 20, extensions: 0, remeasure: 0 }
                models:
                  - path: model.onnx
                    budgets:
                      - { metric: file-size, max: 100 MB }
                      - { metric: latency.p50, max: 10 s }
                """);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string[]> Commands => new()
    {
        { "inspect", ["inspect", "{model}"] },
        { "run", ["run", "{model}", "--random-inputs", "--output-dir", "{out}"] },
        { "bench", ["bench", "{model}", "--duration", "0.05"] },
        { "bench --input", ["bench", "{model}", "--duration", "0.05", "--input", "{pixels}"] },
        { "bench --baseline", ["bench", "{other}", "--baseline", "{model}", "--duration", "0.05", "--extensions", "0"] },
        { "eval", ["eval", "{model}", "--data", "{data}", "--labels", "labels"] },
        { "eval --reference", ["eval", "{other}", "--data", "{data}", "--labels", "labels", "--reference", "{model}"] },
        { "quantize", ["quantize", "{model}", "-o", "{out}.onnx", "--mode", "dynamic"] },
        { "check", ["check", "--config", "{config}", "--out", "{out}"] },
        { "check --isolation off", ["check", "--config", "{config}", "--out", "{out}", "--isolation", "off"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_model_whose_external_data_links_out_of_its_folder_is_PG2006_with_exit_2(string name, string[] template)
    {
        var refused = CliProcess.Run(_dir, Args(template, _linked, _copied, name + "-linked"));
        var all = refused.StdOut + refused.StdErr;

        Assert.True(refused.ExitCode == 2, $"{name}: exit {refused.ExitCode}\n{all}");
        Assert.Contains("PG2006", all, StringComparison.Ordinal);
        Assert.Contains("outside the model's folder", all, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_same_model_with_the_data_file_beside_it_passes(string name, string[] template)
    {
        var ok = CliProcess.Run(_dir, Args(template, _copied, _copied, name + "-copied"));

        Assert.True(ok.ExitCode == 0, $"{name}: exit {ok.ExitCode}\n{ok.StdOut}{ok.StdErr}");
    }

    [Fact]
    public void The_runtime_refuses_the_linked_model_by_path_and_loads_the_copied_one()
    {
        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(_linked));
        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, ex.Code);

        using var session = InferenceSession.Create(_copied);
        Assert.NotEmpty(session.Inputs);
    }

    [Theory]
    [InlineData("inspect", "{model}")]
    [InlineData("run", "{model}", "--random-inputs", "--output-dir", "{out}")]
    [InlineData("bench", "{model}", "--duration", "0.05")]
    public void The_fuzz_hang_mutant_is_PG2062_with_exit_2_not_a_hang(params string[] template)
    {
        var mutant = Path.Combine(CliProcess.RepoRoot, "tests", "PipelineGate.Core.Tests", "Hardening", "Data", "fuzz-seed4-6447.onnx");

        var r = CliProcess.Run(_dir, Args(template, mutant, mutant, "mutant-" + template[0]));
        var all = r.StdOut + r.StdErr;

        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}\n{all}");
        Assert.Contains("PG2062", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_on_the_fuzz_hang_mutant_with_an_fp16_variant_is_PG2062_with_exit_2()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "mutant")).FullName;
        File.Copy(Path.Combine(CliProcess.RepoRoot, "tests", "PipelineGate.Core.Tests", "Hardening", "Data", "fuzz-seed4-6447.onnx"), Path.Combine(dir, "fuzz.onnx"));
        File.WriteAllText(Path.Combine(dir, "pipelinegate.yml"), """
            version: 1
            measure: { duration: 20ms, min-samples: 3, max-samples: 20, extensions: 0, remeasure: 0 }
            models:
              - path: fuzz.onnx
                variants:
                  - name: fp16
                    steps:
                      - quantize: { mode: fp16 }
                budgets:
                  - { metric: file-size, max: 100 MB }
            """);

        var r = CliProcess.Run(dir, "check", "--out", "out");
        var all = r.StdOut + r.StdErr;

        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}\n{all}");
        Assert.Contains("PG2062", all, StringComparison.Ordinal);
    }

    private string[] Args(string[] template, string model, string other, string tag) =>
        template.Select(a => a
            .Replace("{model}", model, StringComparison.Ordinal)
            .Replace("{other}", other, StringComparison.Ordinal)
            .Replace("{config}", Path.Combine(Path.GetDirectoryName(model)!, "pipelinegate.yml"), StringComparison.Ordinal)
            .Replace("{out}", Path.Combine(_dir, "out-" + tag.Replace(' ', '_')), StringComparison.Ordinal)
            .Replace("{data}", CliProcess.Sample("digits", "eval"), StringComparison.Ordinal)
            .Replace("{pixels}", CliProcess.Sample("digits", "calibration", "pixels.npy"), StringComparison.Ordinal)).ToArray();
}
