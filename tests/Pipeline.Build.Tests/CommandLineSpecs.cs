
namespace Pipeline.Build.Tests;

public class CommandLineSpecs
{
    private sealed class PipelineBuild : NukeBuild
    {
        public List<string> Ran { get; } = [];

        [Parameter("Epochs")]
        public int Epochs { get; init; }

        public Target Compile => _ => _.Description("Builds").Executes(() => Ran.Add("Compile"));

        public Target Format => _ => _.Description("Formats").DependsOn(Compile).Executes(() => Ran.Add("Format"));

        public Target Train => _ => _.Description("Trains").DependsOn(Format).Executes(() => Ran.Add("Train"));
    }

    [Fact]
    public void I_can_print_the_plan_and_nothing_runs()
    {
        // Arrange
        var build = new PipelineBuild();

        // Act
        var run = BuildHarness.Run(build, ["--plan", "Train"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Compile", "Format", "Train"], BuildHarness.PlanOrder(run.Output));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void I_can_mistype_a_target_and_get_exit_code_2_with_a_suggestion()
    {
        // Arrange
        var build = new PipelineBuild();

        // Act
        var run = BuildHarness.Run(build, ["Trian"]);

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Trian'. Did you mean 'Train'?", run.Output, StringComparison.Ordinal);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void I_can_mistype_a_parameter_and_get_exit_code_2_with_a_suggestion()
    {
        // Arrange
        var build = new PipelineBuild();

        // Act
        var run = BuildHarness.Run(build, ["Train", "--epoch", "3"]);

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown parameter '--epoch'. Did you mean '--epochs'?", run.Output, StringComparison.Ordinal);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void I_can_skip_named_targets_and_they_are_marked_skipped()
    {
        // Arrange
        var build = new PipelineBuild();

        // Act
        var run = BuildHarness.Run(build, ["--target", "Train", "--skip", "Compile"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Format", "Train"], build.Ran);
        Assert.Equal(ExecutionStatus.Skipped, build.ExecutionPlan.Single(t => t.Name == "Compile").Status);
    }

    [Fact]
    public void I_can_skip_all_dependencies_with_a_bare_skip()
    {
        // Arrange
        var build = new PipelineBuild();

        // Act
        var run = BuildHarness.Run(build, ["Train", "--skip"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Train"], build.Ran);
    }

    [Fact]
    public void I_can_list_targets_with_descriptions_dependencies_and_the_default()
    {
        // Arrange
        var build = new PipelineBuild();

        // Act
        var run = BuildHarness.Run(build, ["-h"], defaultTarget: x => x.Train);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Train (default)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Trains -> Format", run.Output, StringComparison.Ordinal);
        Assert.Contains("--epochs", run.Output, StringComparison.Ordinal);
        Assert.Empty(build.Ran);
    }
}
