using System.CommandLine;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>--text FILE --tokenizer FILE [--max-length N]</c>: lines of text tokenized into a text encoder's inputs, the
/// command-line form of <c>data: { text, tokenizer, max-length }</c>, shared by <c>eval</c>, <c>quantize</c>, <c>prune</c> and <c>factorize</c>.
/// </summary>
internal sealed class TextDataOptions
{
    public Option<string?> Text { get; } = new("--text") { Description = "Evaluation text instead of --data: UTF-8, one sentence per line, tokenized for a BERT-class encoder (needs --tokenizer)." };

    public Option<string?> Tokenizer { get; } = new("--tokenizer") { Description = "The encoder's WordPiece vocabulary: vocab.txt or tokenizer.json." };

    public Option<int?> MaxLength { get; } = new("--max-length") { Description = "Tokens per line at most, [CLS] and [SEP] included (default 128); longer lines are cut." };

    public Option<string?> Output { get; } = new("--output-name") { Description = "The output compared; a [batch, sequence, hidden] output is mean-pooled over the attention mask (default: the first output)." };

    /// <summary><c>--pairs FILE</c> (eval only, not in <see cref="All"/>): labelled sentence pairs for similarity.spearman.</summary>
    public Option<string?> Pairs { get; } = new("--pairs") { Description = "Labelled sentence pairs (CSV s1,s2,score): Spearman's rho of the pair cosines with the scores (needs --tokenizer; with or without --text)." };

    public IEnumerable<Option> All => [Text, Tokenizer, MaxLength, Output];

    /// <summary>The pairs settings from <c>--pairs</c> with the shared <c>--tokenizer</c>, <c>--max-length</c> and <c>--output-name</c>; null without <c>--pairs</c>.</summary>
    public PairsConfig? ReadPairs(ParseResult parse)
    {
        if (parse.GetValue(Pairs) is not { } pairs)
        {
            return null;
        }

        var tokenizer = parse.GetValue(Tokenizer)
            ?? throw new PipelineGateException(PgCode.UsageInvalidArgument, "--pairs needs --tokenizer (the encoder's vocab.txt or tokenizer.json).", pairs);
        var maxLength = parse.GetValue(MaxLength);
        if (maxLength is < 2)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--max-length {maxLength} leaves no room for [CLS] and [SEP]; give 2 or more.");
        }

        return new PairsConfig(Path.GetFullPath(pairs), pairs, Path.GetFullPath(tokenizer), new SourceLocation("command line", 1, 1))
        {
            MaxLength = maxLength,
            Output = parse.GetValue(Output),
        };
    }

    /// <summary>The data settings from <c>--data</c> (arrays/CSV) or <c>--text</c>; null when neither is given.</summary>
    /// <remarks>With <paramref name="pairs"/> (<c>--pairs</c> given), <c>--tokenizer</c> and <c>--max-length</c> without <c>--text</c> belong to the pairs.</remarks>
    public DataConfig? Read(ParseResult parse, string? dataPath, string? labels, IReadOnlyDictionary<string, string>? mapping, int? limit, bool pairs = false)
    {
        var text = parse.GetValue(Text);
        var tokenizer = parse.GetValue(Tokenizer);
        var maxLength = parse.GetValue(MaxLength);
        var output = parse.GetValue(Output);
        var here = new SourceLocation("command line", 1, 1);
        if (text is null)
        {
            if ((tokenizer is not null || maxLength is not null) && !pairs)
            {
                throw new PipelineGateException(PgCode.UsageInvalidArgument, "--tokenizer and --max-length apply to --text.", hint: "Give the sentences with --text FILE, or drop those options.");
            }

            return dataPath is null ? null : new DataConfig(Path.GetFullPath(dataPath), dataPath, labels, mapping ?? new Dictionary<string, string>(StringComparer.Ordinal), limit, here) { Output = output };
        }

        if (dataPath is not null || labels is not null)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "--text replaces --data (and text has no --labels).", hint: "Give either --data or --text.");
        }

        if (tokenizer is null)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "--text needs --tokenizer (the encoder's vocab.txt or tokenizer.json).", text);
        }

        if (maxLength is < 2)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--max-length {maxLength} leaves no room for [CLS] and [SEP]; give 2 or more.");
        }

        return new DataConfig(Path.GetFullPath(text), text, null, new Dictionary<string, string>(StringComparer.Ordinal), limit, here)
        {
            Tokenizer = Path.GetFullPath(tokenizer),
            MaxLength = maxLength,
            Output = output,
        };
    }
}
