using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using PipelineGate.MSBuild.Resources;

namespace PipelineGate.MSBuild;

/// <summary>
/// Runs <c>pipelinegate check</c> out of process (ONNX Runtime never loads into the MSBuild node) and turns
/// its results.json into coded MSBuild diagnostics located in pipelinegate.yml, so that NoWarn,
/// WarningsAsErrors and WarningsNotAsErrors apply to PG codes as to any compiler code.
/// Incremental: the gate is skipped while the fingerprint of its inputs (<see cref="InputFingerprint"/>)
/// equals the one stamped by the last clean run; only a run with no error and no warning is stamped, so a
/// failing or warning gate runs, and reports, on every build.
/// </summary>
public sealed class PipelineGateCheck : ToolTask
{
    private static readonly TimeSpan InputsTimeout = TimeSpan.FromMinutes(5);

    private readonly InputsQuery _inputs = new();
    private readonly List<string> _output = new();
    private CliCommand? _cli;
    private string? _fingerprint;
    private int _errors;
    private int _warnings;

    /// <summary>The gate config (pipelinegate.yml). Empty when the project has none.</summary>
    public string Config { get; set; } = "";

    /// <summary>A profile from the config (--profile).</summary>
    public string Profile { get; set; } = "";

    /// <summary>Report failed budgets as warnings and exit 0 (--warn-only).</summary>
    public bool WarnOnly { get; set; }

    /// <summary>The CLI: a pipelinegate.dll (run with dotnet) or a pipelinegate executable.</summary>
    [Required]
    public string CliPath { get; set; } = "";

    /// <summary>Where the CLI writes results.json and its reports (--out).</summary>
    [Required]
    public string OutDir { get; set; } = "";

    /// <summary>The fingerprint of the last clean run (in the intermediate output folder).</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <summary>The project's PipelineGateModel items; used only to warn when they exist without a config.</summary>
    public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>results.json, when the gate ran or was skipped with results from an earlier run.</summary>
    [Output]
    public string ResultsFile { get; private set; } = "";

    /// <summary>True when the inputs were unchanged and the gate did not run.</summary>
    [Output]
    public bool Skipped { get; private set; }

    protected override string ToolName => "pipelinegate";

    private string ResultsPath => Path.Combine(OutDir, "results.json");

    public override bool Execute()
    {
        if (string.IsNullOrEmpty(Config))
        {
            if (Models.Length > 0)
            {
                LogWarning("PG1001", null, 0, 0, Format(Strings.ModelsWithoutConfig, string.Join(", ", Models.Select(static m => m.ItemSpec))));
            }

            return true;
        }

        return base.Execute() && !Log.HasLoggedErrors;
    }

    public override void Cancel()
    {
        _inputs.Cancel();
        base.Cancel();
    }

    protected override bool ValidateParameters()
    {
        Config = Path.GetFullPath(Config);
        OutDir = Path.GetFullPath(OutDir);
        StampFile = Path.GetFullPath(StampFile);
        if (!File.Exists(Config))
        {
            LogError("PG1001", Config, 0, 0, Format(Strings.ConfigNotFound, Config));
            return false;
        }

        var cliPath = Path.GetFullPath(CliPath);
        if (!File.Exists(cliPath))
        {
            LogError("PG1010", null, 0, 0, Format(Strings.CliNotFound, cliPath));
            return false;
        }

        _cli = CliCommand.For(cliPath, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), Environment.GetEnvironmentVariable("PATH"));
        if (_cli.IsDll && !Path.IsPathRooted(_cli.FileName))
        {
            LogError("PG1010", null, 0, 0, Format(Strings.HostNotFound, cliPath));
            return false;
        }

        return base.ValidateParameters();
    }

    protected override string GenerateFullPathToTool() => _cli!.FileName;

    protected override string GetWorkingDirectory() => Path.GetDirectoryName(Config)!;

    protected override string GenerateCommandLineCommands()
    {
        var args = new List<string> { "check", "--config", Config, "--out", OutDir };
        if (!string.IsNullOrEmpty(Profile))
        {
            args.Add("--profile");
            args.Add(Profile);
        }

        if (WarnOnly)
        {
            args.Add("--warn-only");
        }

        return _cli!.Arguments(args.ToArray());
    }

    /// <summary>
    /// The incremental check. ToolTask calls it after validation; returning true ends the task successfully
    /// without starting the tool (and makes `msbuild -question` report the gate as up to date).
    /// </summary>
    protected override bool SkipTaskExecution()
    {
        var listing = _inputs.Run(_cli!, Config, GetWorkingDirectory(), InputsTimeout);
        if (listing.Files is { } files)
        {
            _fingerprint = InputFingerprint.Compute(files, Settings(), _cli!.CliPath);
            if (File.Exists(ResultsPath) && string.Equals(Stamp.Read(StampFile), _fingerprint, StringComparison.Ordinal))
            {
                Skipped = true;
                ResultsFile = ResultsPath;
                Log.LogMessage(MessageImportance.High, Format(Strings.InputsUnchanged, files.Count.ToString(CultureInfo.InvariantCulture), Config, ResultsPath));
                return true;
            }
        }
        else
        {
            // The check below reports the same problem with its location; here it only costs the skip.
            var message = listing.TimedOut
                ? Format(Strings.InputsTimedOut, ((int)InputsTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture))
                : Format(Strings.InputsFailed, listing.ExitCode.ToString(CultureInfo.InvariantCulture));
            Log.LogMessage(MessageImportance.Low, message);
            Log.LogMessage(MessageImportance.Low, listing.ErrorText);
        }

        if (FailIfNotIncremental)
        {
            // `msbuild -question` only asks; ToolTask reports "not up to date" and nothing may change.
            return false;
        }

        // Neither a stamp nor old results may outlive the run they describe: a failed or cancelled run must
        // not leave a stamp that matches, nor results.json from an earlier run to be read as this one's.
        Stamp.Delete(StampFile);
        if (File.Exists(ResultsPath))
        {
            File.Delete(ResultsPath);
        }

        return false;
    }

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        _output.Clear();
        var exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        if (File.Exists(ResultsPath))
        {
            ResultsFile = ResultsPath;
            LogResults();
        }
        else
        {
            LogStandardError(exitCode);
        }

        if (exitCode == 0 && _errors == 0 && _warnings == 0 && !Log.HasLoggedErrors && _fingerprint is not null)
        {
            Stamp.Write(StampFile, _fingerprint);
            Log.LogMessage(MessageImportance.Low, Format(Strings.Stamped, StampFile));
        }
        else
        {
            Log.LogMessage(MessageImportance.Low, Format(Strings.NotStamped, _errors.ToString(CultureInfo.InvariantCulture), _warnings.ToString(CultureInfo.InvariantCulture)));
        }

        return exitCode;
    }

    /// <summary>
    /// Every line of the CLI's output is kept at low importance (progress, the console report) and remembered:
    /// when no results.json appears, the canonical lines among them are the diagnostics to report.
    /// </summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        _output.Add(singleLine);
        Log.LogMessage(MessageImportance.Low, singleLine);
    }

    protected override System.Diagnostics.ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
    {
        var psi = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);

        // The console report goes to the build log; escape codes would only garble it.
        psi.EnvironmentVariables["NO_COLOR"] = "1";
        return psi;
    }

    private void LogResults()
    {
        List<GateMessage> messages;
        try
        {
            messages = GateResults.Read(ResultsPath);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            LogError(null, ResultsPath, 0, 0, Format(Strings.ResultsUnreadable, ResultsPath, ex.Message));
            return;
        }

        foreach (var m in messages)
        {
            Report(m);
        }
    }

    private void LogStandardError(int exitCode)
    {
        var reported = false;
        foreach (var line in _output)
        {
            if (CanonicalLine.TryParse(line) is { } m)
            {
                Report(m);
                reported = true;
            }
        }

        if (exitCode != 0 && !reported)
        {
            // No results and no coded line (an internal error): show what the CLI said; ToolTask then reports
            // the exit code (MSB6006), since nothing was logged as an error.
            Log.LogMessage(MessageImportance.High, Format(Strings.NoResults, exitCode.ToString(CultureInfo.InvariantCulture), ResultsPath));
            foreach (var line in _output)
            {
                Log.LogMessage(MessageImportance.High, line);
            }
        }
    }

    private void Report(GateMessage m)
    {
        switch (m.Severity)
        {
            case GateSeverity.Error:
                LogError(m.Code, m.File, m.Line, m.Column, m.Text);
                break;
            case GateSeverity.Warning:
                LogWarning(m.Code, m.File, m.Line, m.Column, m.Text);
                break;
            default:
                Log.LogMessage(null, m.Code, m.Code, m.File, m.Line, m.Column, 0, 0, MessageImportance.Normal, m.Text);
                break;
        }
    }

    // No subcategory: MSBuild would print it before "error" ("PipelineGate error PG4201"), and the canonical
    // form every tool and CI parser knows is "file(line,col): error PG4201: message", as NuGet's NUxxxx.
    // The code doubles as the help keyword: it is what the docs (docs/diagnostics.md) are keyed by.
    private void LogError(string? code, string? file, int line, int column, string message)
    {
        _errors++;
        Log.LogError(null, code, code, file, line, column, 0, 0, message);
    }

    private void LogWarning(string? code, string? file, int line, int column, string message)
    {
        _warnings++;
        Log.LogWarning(null, code, code, file, line, column, 0, 0, message);
    }

    /// <summary>The settings that change the verdict for the same inputs; part of the fingerprint.</summary>
    private IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new KeyValuePair<string, string>("config", Config);
        yield return new KeyValuePair<string, string>("profile", Profile);
        yield return new KeyValuePair<string, string>("warn-only", WarnOnly ? "true" : "false");
        yield return new KeyValuePair<string, string>("out", OutDir);
        yield return new KeyValuePair<string, string>("cli", _cli!.CliPath);
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
