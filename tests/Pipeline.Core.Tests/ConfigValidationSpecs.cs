using Pipeline.Configuration;

namespace Pipeline.Core.Tests;

public sealed class ConfigValidationSpecs
{
    [Fact]
    public void I_can_misspell_a_key_and_get_a_did_you_mean_suggestion()
    {
        // Act
        var error = ConfigFiles.SingleError("train:\n  learnig_rate: 0.1\n");

        // Assert
        Assert.Equal("pipeline.yaml:2:3: train.learnig_rate is not a known key; did you mean 'learning_rate'?", error);
    }

    [Fact]
    public void I_can_write_an_unrelated_key_and_get_the_list_of_known_keys()
    {
        // Act
        var error = ConfigFiles.SingleError("format:\n  colour: red\n");

        // Assert
        Assert.Equal("pipeline.yaml:2:3: format.colour is not a known key; known keys here: max_length, truncation, padding, image", error);
    }

    [Theory]
    [InlineData("train:\n  learning_rate: fast\n", "pipeline.yaml:2:18: train.learning_rate must be a number, got 'fast'")]
    [InlineData("train:\n  epochs: 2.5\n", "pipeline.yaml:2:11: train.epochs must be an integer, got '2.5'")]
    [InlineData("train:\n  deterministic: maybe\n", "pipeline.yaml:2:18: train.deterministic must be true or false, got 'maybe'")]
    [InlineData("train:\n  lora: 8\n", "pipeline.yaml:2:9: train.lora must be a mapping of keys, got '8'")]
    [InlineData("train:\n  lora:\n    target_modules: query\n", "pipeline.yaml:3:21: train.lora.target_modules must be a list, got 'query'")]
    [InlineData("train:\n  epochs: [1, 2]\n", "pipeline.yaml:2:11: train.epochs must be an integer, got a list")]
    [InlineData("split:\n  salt: ''\n", "pipeline.yaml:2:9: split.salt must be a non-empty string, got ''")]
    [InlineData("data:\n  sources:\n    - path: a.csv\n      delimiter: ';;'\n", "pipeline.yaml:4:18: data.sources[0].delimiter must be a single character, got ';;'")]
    [InlineData("train:\n  epochs: 99999999999\n", "pipeline.yaml:2:11: train.epochs must be an integer from -2147483648 to 2147483647, got '99999999999'")]
    [InlineData("clean:\n  label_aliases: {a: [b]}\n", "pipeline.yaml:2:22: clean.label_aliases.a must be a string, got a list")]
    [InlineData("data:\n  sources:\n    -\n", "pipeline.yaml:3:6: data.sources[0] must be a mapping of keys, got nothing")]
    [InlineData("train:\n  epochs:\n", "pipeline.yaml:2:10: train.epochs must be an integer, got nothing")]
    public void I_can_write_a_value_of_the_wrong_type_and_get_the_expected_type(string yaml, string expected)
    {
        // Act
        var error = ConfigFiles.SingleError(yaml);

        // Assert
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("train:\n  epochs: 0\n", "train.epochs must be >= 1, got 0")]
    [InlineData("train:\n  warmup_ratio: 1\n", "train.warmup_ratio must be within [0, 1), got 1")]
    [InlineData("evaluate:\n  bootstrap:\n    confidence: 0\n", "evaluate.bootstrap.confidence must be within (0, 1), got 0")]
    [InlineData("format:\n  max_length: 9000\n", "format.max_length must be within [8, 8192], got 9000")]
    [InlineData("version: 2\n", "version must be 1, got 2")]
    [InlineData("data:\n  sources: []\n", "data.sources must have at least 1 items, got 0 items")]
    [InlineData("data:\n  sources:\n    - path: a.jsonl\n      text: []\n", "data.sources[0].text must have at least 1 items, got 0 items")]
    public void I_can_write_a_value_out_of_range_and_get_the_valid_range(string yaml, string expected)
    {
        // Act
        var error = ConfigFiles.SingleError(yaml);

        // Assert
        Assert.EndsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_write_an_unknown_enum_value_and_get_the_allowed_ones()
    {
        // Act
        var error = ConfigFiles.SingleError("train:\n  technique: finetune\n");

        // Assert
        Assert.Equal("pipeline.yaml:2:14: train.technique must be one of head, full, lora, lp-ft, partial, got 'finetune'", error);
    }

    [Fact]
    public void I_can_write_enum_values_with_dashes_underscores_and_any_case()
    {
        // Act
        var options = ConfigFiles.Parse("train:\n  technique: LP-FT\nformat:\n  padding: max_length\nmodel:\n  task: multi_label\n");

        // Assert
        Assert.Equal(Configuration.TrainingTechnique.LpFt, options.Train.Technique);
        Assert.Equal(Configuration.PaddingStrategy.MaxLength, options.Format.Padding);
        Assert.Equal(Configuration.ModelTask.MultiLabel, options.Model.Task);
    }

    [Fact]
    public void I_can_give_split_fractions_that_leave_no_training_rows_and_get_an_error()
    {
        // Act
        var error = ConfigFiles.SingleError("split:\n  validation: 0.5\n  test: 0.6\n");

        // Assert
        Assert.Equal("pipeline.yaml:3:9: split must leave rows for training: validation + test must be < 1, got 0.5 + 0.6 = 1.1", error);
    }

    [Fact]
    public void I_can_write_gate_rules_with_none_or_two_conditions_and_get_an_error_for_each()
    {
        // Arrange
        const string Yaml = """
            evaluate:
              gates:
                - metric: accuracy
                - metric: macro_f1
                  min: 0.8
                  max_drop: 0.01
                - metric: macro_f1
                  significant_improvement: false
                - metric: macro_f1
                  significant_improvement: true
            """;

        // Act
        var errors = ConfigFiles.Errors(Yaml);

        // Assert
        Assert.Equal(
            [
                "pipeline.yaml:3:7: evaluate.gates[0] must set exactly one of min, max_drop or significant_improvement; it sets none",
                "pipeline.yaml:4:7: evaluate.gates[1] must set exactly one of min, max_drop or significant_improvement; it sets min and max_drop",
                "pipeline.yaml:7:7: evaluate.gates[2] must set exactly one of min, max_drop or significant_improvement; it sets none",
            ],
            errors);
    }

    [Fact]
    public void I_can_forget_a_required_key_and_get_an_error_at_its_section()
    {
        // Act
        var error = ConfigFiles.SingleError("evaluate:\n  gates:\n    - min: 0.5\n");

        // Assert
        Assert.Equal("pipeline.yaml:3:7: evaluate.gates[0].metric is required; add it to this section", error);
    }

    [Fact]
    public void I_can_ask_for_an_image_crop_larger_than_the_stored_square_and_get_an_error_while_the_default_crop_follows_a_small_resize()
    {
        // Act
        var error = ConfigFiles.SingleError("format:\n  image:\n    resize: 64\n    size: 96\n");
        var small = PipelineConfig.Parse("format:\n  image:\n    resize: 32\n");

        // Assert
        Assert.Equal("pipeline.yaml:4:11: format.image.size must be <= format.image.resize (64): crops are taken from the resized square, got 96", error);
        Assert.Equal(32, small.Format.Image.EffectiveSize);
        Assert.Equal(224, new ImageFormatOptions().EffectiveSize);
    }

    [Fact]
    public void I_can_set_min_chars_above_max_chars_and_get_an_error()
    {
        // Act
        var error = ConfigFiles.SingleError("clean:\n  min_chars: 50\n  max_chars: 10\n");

        // Assert
        Assert.Equal("pipeline.yaml:3:14: clean.max_chars must be >= clean.min_chars (50), got 10", error);
    }

    [Fact]
    public void I_can_choose_multitask_and_get_an_error_for_a_source_without_task_labels()
    {
        // Act
        var error = ConfigFiles.SingleError("model:\n  task: multitask\ndata:\n  sources:\n    - path: a.jsonl\n");

        // Assert
        Assert.Equal("pipeline.yaml:5:7: data.sources[0] needs 'labels' (task name: label field) because model.task is multitask", error);
    }

    [Fact]
    public void I_can_bind_multitask_labels_declared_labels_aliases_and_optional_fields()
    {
        // Arrange
        const string Yaml = """
            model: {task: multitask}
            data:
              sources:
                - path: data/*.csv
                  format: csv
                  delimiter: ";"
                  labels: {intent: intent, urgency: priority}
                  label:
              labels: [billing, shipping]
            clean:
              label_aliases: {refund: billing}
            evaluate:
              gates: []
            """;

        // Act
        var options = ConfigFiles.Parse(Yaml);

        // Assert
        var source = Assert.Single(options.Data.Sources);
        Assert.Equal(';', source.Delimiter);
        Assert.Null(source.Label);
        Assert.Equal("priority", source.Labels!["urgency"]);
        Assert.Equal(["billing", "shipping"], options.Data.Labels);
        Assert.Equal("billing", options.Clean.LabelAliases["refund"]);
        Assert.Empty(options.Evaluate.Gates);
    }

    [Fact]
    public void I_can_write_an_unknown_encoding_and_get_an_error()
    {
        // Act
        var error = ConfigFiles.SingleError("data:\n  sources:\n    - path: a.csv\n      encoding: klingon\n");

        // Assert
        Assert.Equal("pipeline.yaml:4:17: data.sources[0].encoding is not an encoding this runtime knows, got 'klingon'; use utf-8, utf-16, ascii or latin1", error);
    }
}
