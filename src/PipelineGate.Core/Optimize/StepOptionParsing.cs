using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;

namespace PipelineGate.Optimize;

/// <summary>Parsing of step options as the YAML loader keeps them (e.g. "50%") or as typed on the command line (e.g. "0.5").</summary>
internal static class StepOptionParsing
{
    /// <summary>A fraction written as "0.3", "30%" or "30 %"; null when it is not a number.</summary>
    public static double? Fraction(string value)
    {
        var v = value.Trim();
        var scale = 1.0;
        if (v.EndsWith('%'))
        {
            scale = 0.01;
            v = v.TrimEnd('%', ' ');
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d * scale : null;
    }

    /// <summary>An allowed drop (max-drop) as quantize reads it: "0.5pp", "0.5%" or a plain fraction "0.005", at most 1.</summary>
    public static double Drop(RecipeStep step, string key, string value)
    {
        var v = value.Trim();
        var scale = 1.0;
        if (v.EndsWith("pp", StringComparison.Ordinal) || v.EndsWith('%'))
        {
            scale = 0.01;
            v = v.TrimEnd('p', '%', ' ');
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d * scale <= 1
            ? d * scale
            : throw Invalid(step, $"{step.Kind} {key} '{value}' is not a drop from 0 to 1 (e.g. 0.5pp or 0.005).");
    }

    public static bool Bool(RecipeStep step, string key, string value) => value switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Invalid(step, $"{step.Kind} {key} '{value}' is not true or false."),
    };

    public static string OneOf(RecipeStep step, string key, string value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? value : throw Invalid(step, $"{step.Kind} {key} '{value}' is not one of {string.Join(", ", allowed)}.");

    public static PipelineGateException Invalid(RecipeStep step, string message) =>
        new(PgCode.ConfigInvalidValue, message, step.Location.File, step.Location.Line, step.Location.Column);

    public static PipelineGateException Coded(RecipeStep step, PgCode code, string message, string hint) =>
        new(code, message, step.Location.File, step.Location.Line, step.Location.Column, hint: hint);
}
