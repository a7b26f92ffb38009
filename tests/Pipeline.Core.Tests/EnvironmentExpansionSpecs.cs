namespace Pipeline.Core.Tests;

public sealed class EnvironmentExpansionSpecs
{
    [Fact]
    public void I_can_reference_a_set_variable_inside_a_longer_value()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["HOST"] = "mlflow.internal", ["EPOCHS"] = "7" };

        // Act
        var options = ConfigFiles.Parse("register:\n  tracking_uri: https://${HOST}:5000\ntrain:\n  epochs: ${EPOCHS}\n", environment);

        // Assert
        Assert.Equal("https://mlflow.internal:5000", options.Register.TrackingUri);
        Assert.Equal(7, options.Train.Epochs);
    }

    [Fact]
    public void I_can_give_a_default_used_when_the_variable_is_unset_or_empty()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["EMPTY"] = "" };

        // Act
        var options = ConfigFiles.Parse("train:\n  epochs: ${EPOCHS:-4}\n  batch_size: ${EMPTY:-32}\nregister:\n  tracking_uri: ${MLFLOW_TRACKING_URI:-}\n", environment);

        // Assert
        Assert.Equal(4, options.Train.Epochs);
        Assert.Equal(32, options.Train.BatchSize);
        Assert.Null(options.Register.TrackingUri);
    }

    [Fact]
    public void I_can_reference_an_unset_variable_and_get_an_error_naming_it_and_its_position()
    {
        // Act
        var error = ConfigFiles.SingleError("register:\n  tracking_uri: ${MLFLOW_URI}\n");

        // Assert
        Assert.Equal("pipeline.yaml:2:17: register.tracking_uri uses ${MLFLOW_URI}, but the environment variable MLFLOW_URI is not set; set it or give a default: ${MLFLOW_URI:-value}", error);
    }

    [Fact]
    public void I_can_escape_a_literal_dollar_brace()
    {
        // Act
        var options = ConfigFiles.Parse("split:\n  salt: a$${b}c\n");

        // Assert
        Assert.Equal("a${b}c", options.Split.Salt);
    }

    [Fact]
    public void I_can_expand_a_variable_and_still_get_its_value_validated()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["LR"] = "-1" };

        // Act
        var error = ConfigFiles.SingleError("train:\n  learning_rate: ${LR}\n", environment);

        // Assert
        Assert.Equal("pipeline.yaml:2:18: train.learning_rate must be > 0, got -1", error);
    }

    [Theory]
    [InlineData("split:\n  salt: ${UNCLOSED\n", "has an unterminated '${'")]
    [InlineData("split:\n  salt: ${1BAD}\n", "has an invalid variable reference '${1BAD}'")]
    public void I_can_write_a_malformed_reference_and_get_an_error(string yaml, string expected)
    {
        // Act
        var error = ConfigFiles.SingleError(yaml);

        // Assert
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_rely_on_the_process_environment_when_none_is_given()
    {
        // Arrange
        var name = "PIPELINE_CONFIG_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "salty");

        try
        {
            // Act
            var options = Configuration.PipelineConfig.Parse($"split:\n  salt: ${{{name}}}\n");

            // Assert
            Assert.Equal("salty", options.Split.Salt);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
