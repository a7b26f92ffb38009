namespace Pipeline.Serving.Tests;

public sealed class CommandLineSpecs
{
    [Fact]
    public void I_can_pass_the_model_urls_and_batching_on_the_command_line()
    {
        // Act
        var (options, urls) = ServingCommandLine.Parse(
            ["--model", "models:/support-intent@champion", "--urls", "http://127.0.0.1:8080;http://[::1]:8080", "--max-batch-size=16", "--poll-seconds", "0"], _ => null);

        // Assert
        Assert.Equal("models:/support-intent@champion", options.Model);
        Assert.Equal(16, options.MaxBatchSize);
        Assert.Equal(TimeSpan.Zero, options.PollInterval);
        Assert.Equal(["http://127.0.0.1:8080", "http://[::1]:8080"], urls);
    }

    [Fact]
    public void I_can_set_options_from_the_environment_and_the_command_line_wins()
    {
        // Arrange
        var environment = new Dictionary<string, string>
        {
            ["PIPELINE_SERVING_MODEL"] = "/models/current",
            ["PIPELINE_SERVING_QUEUE_CAPACITY"] = "8",
            ["PIPELINE_SERVING_MAX_BATCH_SIZE"] = "4",
        };

        // Act
        var (options, urls) = ServingCommandLine.Parse(["--max-batch-size", "64"], environment.GetValueOrDefault);

        // Assert
        Assert.Equal("/models/current", options.Model);
        Assert.Equal(8, options.QueueCapacity);
        Assert.Equal(64, options.MaxBatchSize);
        Assert.Equal([ServingCommandLine.DefaultUrls], urls);
    }

    [Theory]
    [InlineData(new[] { "--urls", "http://x" }, "No model to serve")]
    [InlineData(new[] { "--model", "m", "--batch", "3" }, "Unknown option '--batch'")]
    [InlineData(new[] { "--model", "m", "--max-batch-size", "many" }, "'--max-batch-size' must be an integer, got 'many'")]
    [InlineData(new[] { "--model" }, "'--model' needs a value")]
    [InlineData(new[] { "--model", "m", "--max-batch-size", "0" }, "MaxBatchSize must be in [1, 1024], got 0")]
    public void I_get_an_error_naming_the_option_when_the_command_line_is_wrong(string[] args, string expected)
    {
        // Act
        var error = Assert.Throws<ServingException>(() => ServingCommandLine.Parse(args, _ => null));

        // Assert
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
