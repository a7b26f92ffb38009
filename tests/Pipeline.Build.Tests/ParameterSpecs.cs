
namespace Pipeline.Build.Tests;

public class ParameterSpecs
{
    public enum Mode
    {
        Fast,
        VeryThorough,
    }

    private sealed class ParameterBuild : NukeBuild
    {
        [Parameter("Epochs to train")]
        public int Epochs { get; init; } = 1;

        [Parameter("A rate")]
        public double Rate { get; init; } = 0.5;

        [Parameter("A big number")]
        public long Big { get; init; }

        [Parameter("Rerun everything")]
        public bool Force { get; init; }

        [Parameter("How hard to try")]
        public Mode Strategy { get; init; } = Mode.Fast;

        [Parameter("Optional count")]
        public int? Limit { get; init; }

        [Parameter("Folders")]
        public string[] Source { get; init; } = [];

        [Parameter("Where to write")]
        public AbsolutePath? Out { get; init; }

        [Parameter("A token")]
        public string? MlflowTrackingToken { get; init; }

        [Parameter("Renamed", Name = "Flavor")]
        public string Taste { get; init; } = "plain";

        public Target Run => _ => _.Executes(() => Output.WriteLine(Epochs));
    }

    [Fact]
    public void I_can_set_a_parameter_on_the_command_line_and_it_wins_over_environment_json_and_default()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        var run = BuildHarness.Run(build, ["Run", "--epochs", "3"], new() { ["EPOCHS"] = "4" }, """{ "Epochs": 5 }""");

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, build.Epochs);
    }

    [Fact]
    public void I_can_set_a_parameter_in_the_environment_and_it_wins_over_json_and_default()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        BuildHarness.Run(build, ["Run"], new() { ["epochs"] = "4" }, """{ "Epochs": 5 }""");

        // Assert
        Assert.Equal(4, build.Epochs);
    }

    [Fact]
    public void I_can_set_a_parameter_in_parameters_json_and_it_wins_over_the_default()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        BuildHarness.Run(build, ["Run"], [], """{ "$schema": "./build.schema.json", "epochs": 5, "Source": ["a", "b"] }""");

        // Assert
        Assert.Equal(5, build.Epochs);
        Assert.Equal(["a", "b"], build.Source);
    }

    [Fact]
    public void I_can_leave_a_parameter_unset_and_keep_its_default()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        BuildHarness.Run(build, ["Run"]);

        // Assert
        Assert.Equal(1, build.Epochs);
        Assert.Equal(Mode.Fast, build.Strategy);
        Assert.Null(build.Limit);
    }

    [Fact]
    public void I_can_bind_every_supported_type_from_the_command_line()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        var run = BuildHarness.Run(build,
        [
            "--rate", "0.25", "--big", "9000000000", "--strategy", "very-thorough", "--limit", "7",
            "--source", "x", "y", "--out", "results", "--flavor", "salty", "--force", "Run",
        ]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0.25, build.Rate);
        Assert.Equal(9_000_000_000, build.Big);
        Assert.Equal(Mode.VeryThorough, build.Strategy);
        Assert.Equal(7, build.Limit);
        Assert.Equal(["x", "y"], build.Source);
        Assert.Equal(Path.Combine(run.RootDirectory, "results"), build.Out?.ToString());
        Assert.Equal("salty", build.Taste);
        Assert.True(build.Force);
    }

    [Fact]
    public void I_can_turn_a_flag_off_explicitly_and_read_environment_names_with_underscores()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        BuildHarness.Run(build, ["Run", "--force", "false"], new() { ["MLFLOW_TRACKING_TOKEN"] = "tok", ["SOURCE"] = "a, b c" });

        // Assert
        Assert.False(build.Force);
        Assert.Equal("tok", build.MlflowTrackingToken);
        Assert.Equal(["a", "b", "c"], build.Source);
    }

    [Theory]
    [InlineData("--epochs", "three", "'three' is not valid; expected an integer (int)")]
    [InlineData("--rate", "fast", "'fast' is not valid; expected a number (double)")]
    [InlineData("--strategy", "slow", "'slow' is not valid; expected one of: fast, very-thorough")]
    [InlineData("--force", "maybe", "Unknown target 'maybe'")]
    public void I_can_pass_a_bad_value_and_get_exit_code_2_naming_the_parameter_value_and_expected_type(string option, string value, string expected)
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        var run = BuildHarness.Run(build, ["Run", option, value]);

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_get_an_error_naming_the_source_when_the_environment_holds_a_bad_value()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        var run = BuildHarness.Run(build, ["Run"], new() { ["EPOCHS"] = "x" });

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Parameter 'Epochs' (--epochs, from environment variable EPOCHS): 'x' is not valid", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_not_put_an_unknown_key_in_parameters_json_and_get_a_suggestion()
    {
        // Arrange
        var build = new ParameterBuild();

        // Act
        var run = BuildHarness.Run(build, ["Run"], [], """{ "Epohcs": 2 }""");

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown parameter 'Epohcs'. Did you mean 'Epochs'?", run.Output, StringComparison.Ordinal);
    }
}
