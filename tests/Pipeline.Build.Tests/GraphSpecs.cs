
namespace Pipeline.Build.Tests;

public class GraphSpecs
{
    private sealed class ChainBuild : NukeBuild
    {
        public List<string> Ran { get; } = [];

        public Target A => _ => _.Executes(() => Ran.Add("A"));

        public Target D => _ => _.DependsOn(C).Executes(() => Ran.Add("D"));

        public Target C => _ => _.DependsOn(B).Executes(() => Ran.Add("C"));

        public Target B => _ => _.DependsOn(A).Executes(() => Ran.Add("B"));

        public Target Unrelated => _ => _.Executes(() => Ran.Add("Unrelated"));
    }

    private sealed class OrderingBuild : NukeBuild
    {
        public List<string> Ran { get; } = [];

        public Target Pack => _ => _.After(Test).Executes(() => Ran.Add("Pack"));

        public Target Test => _ => _.Executes(() => Ran.Add("Test"));

        public Target Lint => _ => _.Before(Test).Executes(() => Ran.Add("Lint"));

        public Target Publish => _ => _.Triggers(Notify).Executes(() => Ran.Add("Publish"));

        public Target Notify => _ => _.Executes(() => Ran.Add("Notify"));

        public Target Report => _ => _.TriggeredBy(Test).Executes(() => Ran.Add("Report"));
    }

    private sealed class CycleBuild : NukeBuild
    {
        public Target Format => _ => _.DependsOn(Train);

        public Target Train => _ => _.DependsOn(Format);

        public Target Other => _ => _.Executes(() => Output.WriteLine("other"));
    }

    [Fact]
    public void I_can_run_a_target_and_get_its_DependsOn_chain_first_in_order()
    {
        // Arrange
        var build = new ChainBuild();

        // Act
        var run = BuildHarness.Run(build, ["D"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["A", "B", "C", "D"], build.Ran);
        Assert.Equal(["A", "B", "C", "D"], build.ExecutionPlan.Select(t => t.Name));
    }

    [Fact]
    public void I_can_order_planned_targets_with_After_and_Before_without_adding_targets_to_the_plan()
    {
        // Arrange
        var build = new OrderingBuild();

        // Act
        var run = BuildHarness.Run(build, ["Pack", "Test", "Lint"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Lint", "Test", "Pack", "Report"], build.Ran);
    }

    [Fact]
    public void I_can_plan_a_target_alone_and_After_does_not_pull_in_the_other_target()
    {
        // Arrange
        var build = new OrderingBuild();

        // Act
        BuildHarness.Run(build, ["Pack"]);

        // Assert
        Assert.Equal(["Pack"], build.Ran);
    }

    [Fact]
    public void I_can_trigger_a_target_that_then_runs_after_the_triggering_one()
    {
        // Arrange
        var build = new OrderingBuild();

        // Act
        BuildHarness.Run(build, ["Publish"]);

        // Assert
        Assert.Equal(["Publish", "Notify"], build.Ran);
    }

    [Fact]
    public void I_can_not_declare_a_dependency_cycle_and_get_the_cycle_named()
    {
        // Arrange
        var build = new CycleBuild();

        // Act
        var run = BuildHarness.Run(build, ["Other"]);

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Circular dependency: Format -> Train -> Format", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_run_with_no_target_named_and_get_the_default_target()
    {
        // Arrange
        var build = new ChainBuild();

        // Act
        var run = BuildHarness.Run(build, [], defaultTarget: x => x.B);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["A", "B"], build.Ran);
    }
}
