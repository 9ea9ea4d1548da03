using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary><c>data: { pairs, tokenizer, max-length }</c> and <c>similarity.spearman</c> budgets: what loads, and each misuse with its code where it is.</summary>
public sealed class PairsConfigTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public PairsConfigTests()
    {
        _dir.Touch("pairs.csv");
        _dir.Touch("vocab.txt");
        Directory.CreateDirectory(Path.Combine(_dir.Root, "pairs-folder"));
    }

    public void Dispose() => _dir.Dispose();

    // The data mapping goes on line 4 (its value starts at column 11), budgets from line 10 on.
    private static string Config(string data, string budgets = "") => $$"""
        version: 1
        models:
          - path: m.onnx
            data: {{data}}
            targets: [cpu]
            variants:
              - name: int8
                steps: [ { quantize: { mode: dynamic } } ]
            budgets:
              - { metric: file-size, max: 1 GB }
        {{budgets}}
        """;

    [Fact]
    public void Pairs_alone_load_with_their_tokenizer_and_max_length_resolved_against_the_config_folder()
    {
        var model = _dir.Load(Config("{ pairs: pairs.csv, tokenizer: vocab.txt, max-length: 64 }", "      - { metric: similarity.spearman, min: 0.80 }")).Models[0];

        Assert.Null(model.Data);
        var pairs = Assert.IsType<PairsConfig>(model.Pairs);
        Assert.Equal(Path.Combine(_dir.Root, "pairs.csv"), pairs.Path);
        Assert.Equal("pairs.csv", pairs.RelativePath);
        Assert.Equal(Path.Combine(_dir.Root, "vocab.txt"), pairs.Tokenizer);
        Assert.Equal(64, pairs.MaxLength);
        var budget = Assert.Single(model.Budgets, static b => b.Metric == "similarity.spearman");
        Assert.Equal(BudgetKind.Absolute, budget.Kind);
        Assert.Equal(0.80, budget.Min!.Value.Value, 12);
    }

    [Fact]
    public void Pairs_with_text_share_the_tokenizer_and_max_length_and_both_load()
    {
        var model = _dir.Load(Config("{ text: data.txt, pairs: pairs.csv, tokenizer: vocab.txt, max-length: 32, output: last_hidden_state }")).Models[0];

        Assert.Equal(Path.Combine(_dir.Root, "data.txt"), model.Data!.Path);
        Assert.Equal(Path.Combine(_dir.Root, "vocab.txt"), model.Data.Tokenizer);
        Assert.Equal(32, model.Data.MaxLength);
        Assert.Equal(Path.Combine(_dir.Root, "vocab.txt"), model.Pairs!.Tokenizer);
        Assert.Equal(32, model.Pairs.MaxLength);
        Assert.Equal("last_hidden_state", model.Pairs.Output);
    }

    [Fact]
    public void Drop_from_the_original_and_regression_budgets_on_spearman_load_like_accuracy_ones()
    {
        var model = _dir.Load(Config("{ pairs: pairs.csv, tokenizer: vocab.txt }", """
                  - { metric: similarity.spearman, variant: int8, max-drop: 2 pp }
                  - { metric: similarity.spearman, max-regression: 1 pp }
            """)).Models[0];

        var drop = Assert.Single(model.Budgets, static b => b.Kind == BudgetKind.DropFromOriginal);
        Assert.Equal(0.02, drop.MaxDrop!.Value.Value, 12);
        var regression = Assert.Single(model.Budgets, static b => b.Kind == BudgetKind.Regression);
        Assert.Equal(0.01, regression.MaxRegression!.Value.Value, 12);
    }

    [Fact]
    public void A_missing_pairs_file_is_PG2026_at_its_path()
    {
        var d = _dir.Error(Config("{ pairs: nope.csv, tokenizer: vocab.txt }"), PgCode.DataNotFound, 4, 20);
        Assert.Contains("Sentence-pair file 'nope.csv' does not exist", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pairs_without_a_tokenizer_are_PG1006()
    {
        var d = Assert.Single(_dir.Errors(Config("{ pairs: pairs.csv }")));
        Assert.Equal(PgCode.ConfigMissingKey, d.Code);
        Assert.Equal(4, d.Line);
        Assert.Contains("tokenizer", d.Message, StringComparison.Ordinal);
        Assert.Contains("'pairs' is tokenized for a text encoder", d.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Pairs_with_arrays_are_PG1004_at_the_path()
    {
        var d = _dir.Error(Config("{ path: data.npy, pairs: pairs.csv, tokenizer: vocab.txt }"), PgCode.ConfigInvalidValue, 4, 19);
        Assert.Contains("'path' cannot be combined with 'pairs'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_as_pairs_is_PG1004()
    {
        var d = _dir.Error(Config("{ pairs: pairs-folder, tokenizer: vocab.txt }"), PgCode.ConfigInvalidValue, 4, 20);
        Assert.Contains("is a folder", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_on_pairs_alone_is_PG1004()
    {
        var d = _dir.Error(Config("{ pairs: pairs.csv, tokenizer: vocab.txt, limit: 10 }"), PgCode.ConfigInvalidValue, 4, 60);
        Assert.Contains("'limit' applies to 'text'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spearman_budget_on_a_model_without_pairs_is_PG1006_at_the_metric()
    {
        var d = _dir.Error(Config("{ text: data.txt, tokenizer: vocab.txt }", "      - { metric: similarity.spearman, min: 0.8 }"), PgCode.ConfigMissingKey, 11, 19);
        Assert.Contains("labelled sentence pairs", d.Message, StringComparison.Ordinal);
        Assert.Contains("data: { pairs", d.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spearman_min_above_one_or_a_max_is_refused()
    {
        Assert.Contains(_dir.Errors(Config("{ pairs: pairs.csv, tokenizer: vocab.txt }", "      - { metric: similarity.spearman, max: 0.9 }")),
            static d => d.Code == PgCode.ConfigInvalidValue && d.Message.Contains("max", StringComparison.Ordinal));
    }
}
