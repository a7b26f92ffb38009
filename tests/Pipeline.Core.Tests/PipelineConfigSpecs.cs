using Pipeline.Configuration;
using Pipeline.Errors;

namespace Pipeline.Core.Tests;

public sealed class PipelineConfigSpecs
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void I_can_load_the_committed_pipeline_yaml_and_get_its_values()
    {
        // Arrange
        var path = Path.Combine(ConfigFiles.RepositoryRoot(), "pipeline.yaml");

        // Act
        var options = PipelineConfig.Load(path, NoEnvironment);

        // Assert
        var source = Assert.Single(options.Data.Sources);
        Assert.Equal("data/labeled/*.jsonl", source.Path);
        Assert.Equal(DataFormat.Jsonl, source.Format);
        Assert.Equal(["text"], source.Text);
        Assert.Equal("intent", source.Label);
        Assert.Equal("id", source.Id);
        Assert.Null(options.Data.Labels);
        Assert.Equal(UnicodeNormalization.Nfkc, options.Clean.Unicode);
        Assert.Equal(
            new Dictionary<string, string> { ["shiping"] = "shipping", ["account-access"] = "account_access", ["tech_issue"] = "technical_issue" },
            options.Clean.LabelAliases);
        Assert.Equal(0.9, options.Clean.NearDuplicates.Threshold);
        Assert.Equal(LabelConflictPolicy.Majority, options.Clean.Conflicts);
        Assert.Equal(0.2, options.Split.Test);
        Assert.Equal(PaddingStrategy.Dynamic, options.Format.Padding);
        Assert.Equal(ModelTask.SingleLabel, options.Model.Task);
        Assert.Equal(TrainingTechnique.LpFt, options.Train.Technique);
        Assert.Equal(0.002, options.Train.LearningRate);
        Assert.Equal(200, options.Train.Checkpoint.EverySteps);
        Assert.Equal(["query", "value"], options.Train.Lora.TargetModules);
        Assert.Equal(3, options.Evaluate.Gates.Count);
        Assert.Equal(0.80, options.Evaluate.Gates[0].Min);
        Assert.Equal(0.01, options.Evaluate.Gates[1].MaxDrop);
        Assert.True(options.Evaluate.Gates[2].SignificantImprovement);
        Assert.Equal("support-intents", options.Register.ModelName);
        Assert.Null(options.Register.TrackingUri);
    }

    [Fact]
    public void I_can_rely_on_the_record_defaults_matching_the_committed_pipeline_yaml()
    {
        // Arrange
        var path = Path.Combine(ConfigFiles.RepositoryRoot(), "pipeline.yaml");

        // Act
        var loaded = PipelineConfig.Load(path, NoEnvironment);
        var defaults = new PipelineOptions();

        // Assert: compare section by section, lists by content (records compare lists by reference)
        Assert.Equal(defaults.Clean with { LabelAliases = loaded.Clean.LabelAliases }, loaded.Clean);
        Assert.Equal(defaults.Split, loaded.Split);
        Assert.Equal(defaults.Format, loaded.Format);
        Assert.Equal(defaults.Model, loaded.Model);
        Assert.Equal(defaults.Train with { Lora = loaded.Train.Lora }, loaded.Train);
        Assert.Equal(defaults.Train.Lora with { TargetModules = loaded.Train.Lora.TargetModules }, loaded.Train.Lora);
        Assert.Equal(defaults.Evaluate.Bootstrap, loaded.Evaluate.Bootstrap);
        Assert.Equal(defaults.Evaluate.Gates, loaded.Evaluate.Gates);
        Assert.Equal(defaults.Data.Sources[0] with { Text = loaded.Data.Sources[0].Text }, loaded.Data.Sources[0]);
        Assert.Equal(defaults.Register, loaded.Register);
    }

    [Fact]
    public void I_can_omit_sections_and_keys_and_get_the_defaults()
    {
        // Arrange
        const string Yaml = """
            version: 1
            train:
              epochs: 5
            clean:
            """;

        // Act
        var options = ConfigFiles.Parse(Yaml);

        // Assert
        Assert.Equal(5, options.Train.Epochs);
        Assert.Equal(16, options.Train.BatchSize);
        Assert.Equal(new CleanOptions().MaxChars, options.Clean.MaxChars);
        Assert.Equal(new SplitOptions(), options.Split);
        Assert.Equal("data/labeled/*.jsonl", Assert.Single(options.Data.Sources).Path);
        Assert.Equal("label", ConfigFiles.Parse("data: {sources: [{path: x.csv}]}").Data.Sources[0].Label);
    }

    [Fact]
    public void I_can_write_all_three_mistakes_in_one_file_and_get_them_in_one_exception_with_positions()
    {
        // Arrange
        const string Yaml = """
            version: 1
            train:
              learning_rate: -0.1
              epocs: 3
            model:
              task: singel_label
            """;

        // Act
        var exception = Assert.Throws<ConfigException>(() => ConfigFiles.Parse(Yaml));

        // Assert
        Assert.Equal(
            [
                "pipeline.yaml:3:18: train.learning_rate must be > 0, got -0.1",
                "pipeline.yaml:4:3: train.epocs is not a known key; did you mean 'epochs'?",
                "pipeline.yaml:6:9: model.task must be one of single_label, multi_label, multitask (did you mean 'single_label'?), got 'singel_label'",
            ],
            exception.Message.Split(Environment.NewLine));
        Assert.Equal(3, exception.Errors.Count);
        Assert.Equal(("pipeline.yaml", 3, 18, "train.learning_rate"), (exception.Errors[0].File, exception.Errors[0].Line, exception.Errors[0].Column, exception.Errors[0].Path));
        Assert.IsAssignableFrom<PipelineException>(exception);
    }

    [Fact]
    public void I_can_load_a_file_and_get_an_error_naming_it_if_it_does_not_exist()
    {
        // Arrange
        var path = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"), "pipeline.yaml");

        // Act
        var exception = Assert.Throws<ConfigException>(() => PipelineConfig.Load(path, NoEnvironment));

        // Assert
        var error = Assert.Single(exception.Errors);
        Assert.Equal(path, error.File);
        Assert.Equal(0, error.Line);
        Assert.StartsWith($"{path}: the file does not exist (looked for {path})", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_load_a_file_from_disk_and_get_an_error_if_it_is_empty()
    {
        // Arrange
        var folder = Directory.CreateTempSubdirectory("pipeline-config-");
        var path = Path.Combine(folder.FullName, "pipeline.yaml");
        File.WriteAllText(path, "# only a comment\n");

        try
        {
            // Act
            var exception = Assert.Throws<ConfigException>(() => PipelineConfig.Load(path, NoEnvironment));

            // Assert
            Assert.Equal($"{path}:1:1: the file is empty; it needs at least 'version: 1' (see the committed pipeline.yaml for every section)", exception.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void I_can_parse_broken_yaml_and_get_the_syntax_error_position()
    {
        // Arrange
        const string Yaml = """
            version: 1
            train:
              epochs: 3
               batch_size: 16
            """;

        // Act
        var error = ConfigFiles.SingleError(Yaml);

        // Assert
        Assert.StartsWith("pipeline.yaml:4:", error, StringComparison.Ordinal);
        Assert.Contains(": the file is not valid YAML: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_parse_a_file_whose_root_is_not_a_mapping_and_get_an_error()
    {
        // Act
        var error = ConfigFiles.SingleError("- a\n- b\n");

        // Assert
        Assert.StartsWith("pipeline.yaml:1:1: the file must be a mapping of sections", error, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_repeat_a_key_and_get_an_error_at_the_repeat()
    {
        // Act
        var error = ConfigFiles.SingleError("train:\n  epochs: 3\n  epochs: 4\n");

        // Assert
        Assert.Equal("pipeline.yaml:3:3: the file is not valid YAML: Duplicate key epochs", error);
    }

    [Fact]
    public void I_can_write_two_documents_and_get_an_error_at_the_second()
    {
        // Act
        var error = ConfigFiles.SingleError("version: 1\n---\nversion: 1\n");

        // Assert
        Assert.Equal("pipeline.yaml:3:1: the file holds more than one YAML document; remove the '---' separator and keep one", error);
    }
}
