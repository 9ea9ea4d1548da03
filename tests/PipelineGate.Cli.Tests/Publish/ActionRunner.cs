using System.Diagnostics;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// Runs a composite action's steps the way the GitHub runner does, on this machine: inputs default from
/// action.yml, <c>${{ }}</c> substituted in env, working-directory, if and with; each <c>run:</c> step
/// written to a file and run with <c>bash --noprofile --norc -eo pipefail</c> (GitHub's bash shell) with a
/// fresh GITHUB_OUTPUT and GITHUB_PATH file per step, read back afterwards; a failed step skips the
/// rest unless their condition asks for always(). <c>uses:</c> steps cannot run here: they are
/// recorded with their evaluated <c>with:</c> for the test to check.
/// </summary>
internal sealed class ActionRunner(string actionPath, IReadOnlyDictionary<string, string> github)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(15);

    public sealed record StepRun(string Name, string? Uses, bool Ran, int ExitCode, string Output, IReadOnlyDictionary<string, string> With);

    public sealed record Run(int ExitCode, IReadOnlyList<StepRun> Steps, IReadOnlyDictionary<string, string> Outputs)
    {
        public string Log => string.Join("\n", Steps.Select(static s => $"--- {s.Name}: {(s.Ran ? "exit " + s.ExitCode : "skipped")}\n{s.Output}"));
    }

    /// <summary>Runs the action with <paramref name="with"/> as its inputs; <paramref name="environment"/> is the job's environment.</summary>
    public Run Execute(IReadOnlyDictionary<string, string> with, IReadOnlyDictionary<string, string> environment)
    {
        var root = Load();
        var inputs = ((YamlMappingNode)root["inputs"]).Children.ToDictionary(static kv => kv.Key.ToString(), static kv => kv.Value as YamlMappingNode);
        foreach (var name in with.Keys.Where(n => !inputs.ContainsKey(n)))
        {
            throw new ArgumentException($"action.yml has no input '{name}'.", nameof(with));
        }

        var stepOutputs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var inputValues = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Lookup(string path) => path.Split('.') switch
        {
            ["inputs", var n] => inputValues.TryGetValue(n, out var v) ? v : null,
            ["github", var n] => github.TryGetValue(n, out var v) ? v : null,
            ["steps", var id, "outputs", var n] => stepOutputs.TryGetValue(id, out var o) && o.TryGetValue(n, out var v) ? v : null,
            _ => throw new NotSupportedException($"Context '{path}' is not known to the test's runner."),
        };

        foreach (var (name, spec) in inputs)
        {
            var fallback = spec is not null && spec.Children.TryGetValue("default", out var d) ? d.ToString() : "";
            inputValues[name] = with.TryGetValue(name, out var given) ? given : new ActionExpression(Lookup, failed: false).Substitute(fallback);
        }

        var temp = environment["RUNNER_TEMP"];
        var workspace = environment["GITHUB_WORKSPACE"];
        var path = new List<string>();
        var steps = new List<StepRun>();
        var exit = 0;
        var index = 0;
        foreach (var step in ((YamlSequenceNode)((YamlMappingNode)root["runs"])["steps"]).Cast<YamlMappingNode>())
        {
            index++;
            var id = Scalar(step, "id");
            var name = id ?? Scalar(step, "uses") ?? $"step {index}";
            var expression = new ActionExpression(Lookup, failed: exit != 0);
            if (!expression.Condition(Scalar(step, "if")))
            {
                steps.Add(new StepRun(name, Scalar(step, "uses"), false, 0, "", new Dictionary<string, string>()));
                continue;
            }

            if (Scalar(step, "uses") is { } uses)
            {
                var given = step.Children.TryGetValue("with", out var w)
                    ? ((YamlMappingNode)w).Children.ToDictionary(static kv => kv.Key.ToString(), kv => expression.Substitute(kv.Value.ToString()))
                    : [];
                steps.Add(new StepRun(name, uses, true, 0, "", given));
                continue;
            }

            var outputFile = Path.Combine(temp, $"output-{index}-{Guid.NewGuid():N}");
            var pathFile = Path.Combine(temp, $"path-{index}-{Guid.NewGuid():N}");
            File.WriteAllText(outputFile, "");
            File.WriteAllText(pathFile, "");
            var env = new Dictionary<string, string>(environment) { ["GITHUB_OUTPUT"] = outputFile, ["GITHUB_PATH"] = pathFile };
            if (path.Count > 0)
            {
                env["PATH"] = string.Join(Path.PathSeparator, path.AsEnumerable().Reverse()) + Path.PathSeparator + environment["PATH"];
            }

            if (step.Children.TryGetValue("env", out var stepEnv))
            {
                foreach (var (k, v) in ((YamlMappingNode)stepEnv).Children)
                {
                    env[k.ToString()] = expression.Substitute(v.ToString());
                }
            }

            var directory = Scalar(step, "working-directory") is { } wd ? Path.GetFullPath(Path.Combine(workspace, expression.Substitute(wd))) : workspace;
            var script = Path.Combine(temp, $"step-{index}-{Guid.NewGuid():N}.sh");
            File.WriteAllText(script, Scalar(step, "run")!);
            var (code, output) = Bash(script, directory, env);
            steps.Add(new StepRun(name, null, true, code, output, new Dictionary<string, string>()));
            if (id is not null)
            {
                stepOutputs[id] = ReadOutputs(outputFile);
            }

            path.AddRange(File.ReadAllLines(pathFile).Where(static l => l.Length > 0));
            if (code != 0)
            {
                exit = code;
            }
        }

        var outputs = ((YamlMappingNode)root["outputs"]).Children.ToDictionary(
            static kv => kv.Key.ToString(),
            kv => new ActionExpression(Lookup, failed: false).Substitute(((YamlMappingNode)kv.Value)["value"].ToString()));
        return new Run(exit, steps, outputs);
    }

    /// <summary>name=value lines and name&lt;&lt;DELIMITER blocks, as GitHub reads $GITHUB_OUTPUT.</summary>
    internal static Dictionary<string, string> ReadOutputs(string file)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var heredoc = lines[i].IndexOf("<<", StringComparison.Ordinal);
            var eq = lines[i].IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (eq < 0 || heredoc < eq))
            {
                var name = lines[i][..heredoc];
                var delimiter = lines[i][(heredoc + 2)..];
                var body = new List<string>();
                while (++i < lines.Length && lines[i] != delimiter)
                {
                    body.Add(lines[i]);
                }

                values[name] = string.Join("\n", body);
            }
            else if (eq > 0)
            {
                values[lines[i][..eq]] = lines[i][(eq + 1)..];
            }
        }

        return values;
    }

    private static (int ExitCode, string Output) Bash(string script, string directory, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "--noprofile", "--norc", "-eo", "pipefail", script })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Clear();
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        var output = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => Append(output, e.Data);
        p.ErrorDataReceived += (_, e) => Append(output, e.Data);
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(StepTimeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"The step {script} did not finish within {StepTimeout.TotalMinutes:F0} minutes.\n{output}");
        }

        p.WaitForExit();
        lock (output)
        {
            return (p.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? value.ToString() : null;

    private YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(actionPath));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
