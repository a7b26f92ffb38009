using Pipeline.Configuration;
using Pipeline.Errors;

namespace Pipeline.Core.Tests;

public sealed class ConfigOverrideSpecs
{
    [Fact]
    public void I_can_override_file_values_and_add_keys_from_the_command_line()
    {
        // Arrange
        var overrides = new Dictionary<string, string>
        {
            ["train.epochs"] = "1",
            ["train.lora.target_modules"] = "[query, key, value]",
            ["evaluate.gates.0.min"] = "0.5",
            ["register.tracking_uri"] = "http://localhost:5000",
        };

        // Act
        var options = ConfigFiles.Parse("train:\n  epochs: 3\nevaluate:\n  gates:\n    - metric: accuracy\n      min: 0.9\n", overrides: overrides);

        // Assert
        Assert.Equal(1, options.Train.Epochs);
        Assert.Equal(["query", "key", "value"], options.Train.Lora.TargetModules);
        Assert.Equal(0.5, options.Evaluate.Gates[0].Min);
        Assert.Equal("http://localhost:5000", options.Register.TrackingUri);
    }

    [Fact]
    public void I_can_pass_bad_overrides_and_get_errors_that_name_the_command_line_option()
    {
        // Arrange
        var overrides = new Dictionary<string, string>
        {
            ["train.epochs"] = "0",
            ["train.learning_rate"] = "fast",
            ["train.epoch"] = "3",
        };

        // Act
        var exception = Assert.Throws<ConfigException>(() => ConfigFiles.Parse("version: 1\n", overrides: overrides));

        // Assert
        Assert.Equal(
            [
                "command line: --epochs: train.epochs must be >= 1, got 0",
                "command line: --learning-rate: train.learning_rate must be a number, got 'fast'",
                "command line: --epoch: train.epoch is not a known key; did you mean 'epochs'?",
            ],
            exception.Errors.Select(e => e.ToString()));
        Assert.All(exception.Errors, e => Assert.Equal(("command line", 0), (e.File, e.Line)));
        Assert.Equal("--epochs", exception.Errors[0].Argument);
    }

    [Fact]
    public void I_can_get_file_errors_before_command_line_errors_in_one_exception()
    {
        // Arrange
        var overrides = new Dictionary<string, string> { ["train.batch_size"] = "0" };

        // Act
        var errors = ConfigFiles.Errors("train:\n  epochs: 0\n", overrides: overrides);

        // Assert
        Assert.Equal(["pipeline.yaml:2:11: train.epochs must be >= 1, got 0", "command line: --batch-size: train.batch_size must be >= 1, got 0"], errors);
    }

    [Theory]
    [InlineData("train..epochs", "is not a key path; write section.key, e.g. train.epochs")]
    [InlineData("version.major", "cannot be set: version is a single value, not a section")]
    [InlineData("evaluate.gates.5.min", "cannot be set: evaluate.gates is a list of 3 items; use an index from 0 to 2")]
    public void I_can_pass_an_override_path_that_cannot_exist_and_get_an_error(string path, string expected)
    {
        // Arrange
        var overrides = new Dictionary<string, string> { [path] = "1" };
        var yaml = File.ReadAllText(Path.Combine(ConfigFiles.RepositoryRoot(), PipelineConfig.DefaultFileName));

        // Act
        var error = ConfigFiles.SingleError(yaml, overrides: overrides);

        // Assert
        Assert.EndsWith($"{path} {expected}", error, StringComparison.Ordinal);
        Assert.StartsWith("command line: --", error, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_override_a_value_with_a_dollar_sign_without_expansion()
    {
        // Arrange
        var overrides = new Dictionary<string, string> { ["split.salt"] = "${NOT_EXPANDED}" };

        // Act
        var options = ConfigFiles.Parse("version: 1\n", overrides: overrides);

        // Assert
        Assert.Equal("${NOT_EXPANDED}", options.Split.Salt);
    }
}
