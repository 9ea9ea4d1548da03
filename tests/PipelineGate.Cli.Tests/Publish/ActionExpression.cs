using System.Globalization;
using System.Text.RegularExpressions;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// The part of GitHub's expression language that action.yml uses, evaluated the way the runner does:
/// context paths (<c>inputs.x</c>, <c>steps.id.outputs.y</c>, <c>github.token</c>), string literals,
/// <c>==</c>/<c>!=</c> (case-insensitive on strings), <c>||</c> (the first truthy operand), <c>always()</c>
/// and <c>format()</c>. Anything else throws, so a new construct in action.yml fails the test until the
/// evaluator learns it rather than being evaluated wrongly.
/// </summary>
internal sealed partial class ActionExpression(Func<string, string?> lookup, bool failed)
{
    private string _text = "";
    private int _at;

    /// <summary>Replaces every <c>${{ … }}</c> in <paramref name="template"/> with its value.</summary>
    public string Substitute(string template) =>
        Embedded().Replace(template, m => Evaluate(m.Groups[1].Value));

    /// <summary>An <c>if:</c> condition; without a status function GitHub prefixes <c>success() &amp;&amp;</c>.</summary>
    public bool Condition(string? condition)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            return !failed;
        }

        var text = Embedded().Match(condition) is { Success: true } m && m.Value == condition.Trim() ? m.Groups[1].Value : condition;
        var statusFunction = text.Contains("always()", StringComparison.Ordinal) || text.Contains("failure()", StringComparison.Ordinal);
        return Truthy(Evaluate(text)) && (statusFunction || !failed);
    }

    public string Evaluate(string expression)
    {
        _text = expression;
        _at = 0;
        var value = Or();
        Skip();
        if (_at != _text.Length)
        {
            throw new NotSupportedException($"Expression '{expression}': unexpected '{_text[_at..]}'.");
        }

        return value;
    }

    private static bool Truthy(string value) => value.Length > 0 && value != "false" && value != "0";

    private string Or()
    {
        var left = Comparison();
        while (Take("||"))
        {
            var right = Comparison();
            left = Truthy(left) ? left : right;
        }

        return left;
    }

    private string Comparison()
    {
        var left = Primary();
        if (Take("=="))
        {
            return string.Equals(left, Primary(), StringComparison.OrdinalIgnoreCase) ? "true" : "false";
        }

        if (Take("!="))
        {
            return string.Equals(left, Primary(), StringComparison.OrdinalIgnoreCase) ? "false" : "true";
        }

        return left;
    }

    private string Primary()
    {
        Skip();
        if (_at < _text.Length && _text[_at] == '\'')
        {
            var end = _text.IndexOf('\'', _at + 1);
            var literal = _text[(_at + 1)..end];
            _at = end + 1;
            return literal;
        }

        var name = Identifier().Match(_text, _at);
        if (!name.Success || name.Index != _at)
        {
            throw new NotSupportedException($"Expression '{_text}': cannot read '{_text[_at..]}'.");
        }

        _at += name.Length;
        if (!Take("("))
        {
            return lookup(name.Value) ?? "";
        }

        var args = new List<string>();
        while (!Take(")"))
        {
            args.Add(Or());
            Take(",");
        }

        return name.Value switch
        {
            "always" => "true",
            "failure" => failed ? "true" : "false",
            "success" => failed ? "false" : "true",
            "format" => string.Format(CultureInfo.InvariantCulture, args[0], [.. args.Skip(1)]),
            _ => throw new NotSupportedException($"Expression '{_text}': function {name.Value}() is not known to the test's evaluator."),
        };
    }

    private bool Take(string token)
    {
        Skip();
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) == 0)
        {
            _at += token.Length;
            return true;
        }

        return false;
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    [GeneratedRegex(@"\$\{\{\s*(.*?)\s*\}\}")]
    private static partial Regex Embedded();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)*")]
    private static partial Regex Identifier();
}
