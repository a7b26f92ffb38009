
namespace Pipeline.Build.Tests;

public class SecretSpecs
{
    private const string Token = "s3cr3t-token-value";

    private sealed class SecretBuild : NukeBuild
    {
        [Parameter("Token for the tracking server")]
        [Secret]
        public string? MlflowTrackingToken { get; init; }

        [Parameter("Not secret")]
        public string Name { get; init; } = "public-default";

        public Target Leak => _ => _.Executes(() =>
        {
            Output.WriteLine($"using token {MlflowTrackingToken}");
            throw new InvalidOperationException($"server rejected token {MlflowTrackingToken}");
        });
    }

    [Fact]
    public void I_can_list_parameters_in_help_and_a_secret_default_shows_as_secret()
    {
        // Arrange
        var build = new SecretBuild { MlflowTrackingToken = Token };

        // Act
        var run = BuildHarness.Run(build, ["--help"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--mlflow-tracking-token", run.Output, StringComparison.Ordinal);
        Assert.Contains("<secret>", run.Output, StringComparison.Ordinal);
        Assert.Contains("public-default", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_run_a_target_that_prints_and_throws_the_secret_and_see_only_stars()
    {
        // Arrange
        var build = new SecretBuild();

        // Act
        var run = BuildHarness.Run(build, ["Leak"], new() { ["MLFLOW_TRACKING_TOKEN"] = Token });

        // Assert
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(Token, build.MlflowTrackingToken);
        Assert.DoesNotContain(Token, run.Output, StringComparison.Ordinal);
        Assert.Contains("using token ***", run.Output, StringComparison.Ordinal);
        Assert.Contains("Target 'Leak' failed: server rejected token ***", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_plan_with_a_secret_on_the_command_line_and_it_is_not_printed()
    {
        // Arrange
        var build = new SecretBuild();

        // Act
        var run = BuildHarness.Run(build, ["--plan", "Leak", "--mlflow-tracking-token", Token]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Leak"], BuildHarness.PlanOrder(run.Output));
        Assert.DoesNotContain(Token, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_write_the_schema_and_it_never_holds_a_secret_value()
    {
        // Arrange
        var build = new SecretBuild { MlflowTrackingToken = Token };

        // Act
        var run = BuildHarness.Run(build, ["--plan", "Leak"]);

        // Assert
        var schema = File.ReadAllText(Path.Combine(run.RootDirectory, ".nuke", "build.schema.json"));
        Assert.DoesNotContain(Token, schema, StringComparison.Ordinal);
        Assert.Contains("secret", schema, StringComparison.Ordinal);
    }
}
