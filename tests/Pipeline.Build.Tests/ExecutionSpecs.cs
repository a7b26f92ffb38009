
namespace Pipeline.Build.Tests;

public class ExecutionSpecs
{
    private sealed class ExpectedException(string message) : Exception(message);

    private sealed class FailingBuild : NukeBuild
    {
        public List<string> Ran { get; } = [];

        public Target Restore => _ => _.Executes(() => Ran.Add("Restore"));

        public Target Ingest => _ => _.DependsOn(Restore).Executes(() => throw new ExpectedException("Stage 'Ingest' is not available yet."));

        public Target Clean => _ => _.DependsOn(Ingest).Executes(() => Ran.Add("Clean"));

        public Target Lint => _ => _.Executes(() => Ran.Add("Lint"));

        public Target Configure => _ => _.Executes(() =>
        {
            Ran.Add("Configure");
            throw new ExpectedException("pipeline.yaml:3:5: a.b is wrong\npipeline.yaml:9:1: c.d is wrong\npipeline.yaml:12:7: e.f is wrong");
        });

        public Target Report => _ => _.AssuredAfterFailure().Executes(() => Ran.Add("Report"));

        public Target Flaky => _ => _.ProceedAfterFailure().Executes(() =>
        {
            Ran.Add("Flaky");
            throw new ExpectedException("flaky");
        });

        public Target Crash => _ => _.Executes(() =>
        {
            Ran.Add("Crash");
            throw new InvalidOperationException("unexpected");
        });

        public Target All => _ => _.DependsOn(Restore, Lint);

        public bool Finished { get; private set; }

        protected override bool IsExpectedFailure(Exception exception) => exception is ExpectedException;

        protected override void OnBuildFinished() => Finished = true;
    }

    private sealed class ConditionalBuild : NukeBuild
    {
        public List<string> Ran { get; } = [];

        [Parameter("Deploy?")]
        public bool Deploy { get; init; }

        [Parameter("Api key")]
        public string? ApiKey { get; init; }

        public bool Ready { get; set; }

        public Target Setup => _ => _.Executes(() => Ran.Add("Setup"));

        public Target Shared => _ => _.Executes(() => Ran.Add("Shared"));

        public Target Ship => _ => _.DependsOn(Setup, Shared).OnlyWhenStatic(() => Deploy).Executes(() => Ran.Add("Ship"));

        public Target Check => _ => _.DependsOn(Shared).Executes(() => Ran.Add("Check"));

        public Target Prepare => _ => _.Executes(() => Ready = false);

        public Target Late => _ => _.DependsOn(Prepare).OnlyWhenDynamic(() => Ready).Executes(() => Ran.Add("Late"));

        public Target Explained => _ => _.DependsOn(Prepare).OnlyWhenDynamic(() => Ready, () => "nothing to do: inputs unchanged").Executes(() => Ran.Add("Explained"));

        public Target Publish => _ => _.Requires(() => ApiKey).Requires(() => Deploy).Executes(() => Ran.Add("Publish"));
    }

    [Fact]
    public void I_can_see_a_failing_target_stop_the_run_mark_dependants_not_run_and_print_the_summary()
    {
        // Arrange
        var build = new FailingBuild();

        // Act
        var run = BuildHarness.Run(build, ["Clean", "Lint", "Report"]);

        // Assert
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Restore", "Report"], build.Ran);
        var status = build.ExecutionPlan.ToDictionary(t => t.Name, t => t.Status);
        Assert.Equal(ExecutionStatus.Succeeded, status["Restore"]);
        Assert.Equal(ExecutionStatus.Failed, status["Ingest"]);
        Assert.Equal(ExecutionStatus.NotRun, status["Clean"]);
        Assert.Equal(ExecutionStatus.NotRun, status["Lint"]);
        Assert.Contains("Target 'Ingest' failed: Stage 'Ingest' is not available yet.", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        Assert.Contains("Target", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"Clean\s+NotRun", run.Output);
        Assert.Matches(@"Ingest\s+Failed", run.Output);
        Assert.Matches(@"Total\s+", run.Output);
        Assert.Contains("Build failed on ", run.Output, StringComparison.Ordinal);
        Assert.True(build.Finished);
    }

    [Fact]
    public void I_can_read_a_failure_with_several_lines_one_line_each()
    {
        // Arrange
        var build = new FailingBuild();

        // Act
        var run = BuildHarness.Run(build, ["Configure"]);

        // Assert
        Assert.Equal(1, run.ExitCode);
        var lines = run.Output.ReplaceLineEndings("\n").Split('\n');
        var first = Array.IndexOf(lines, "Target 'Configure' failed: pipeline.yaml:3:5: a.b is wrong");
        Assert.True(first >= 0, run.Output);
        Assert.Equal("  pipeline.yaml:9:1: c.d is wrong", lines[first + 1]);
        Assert.Equal("  pipeline.yaml:12:7: e.f is wrong", lines[first + 2]);
    }

    [Fact]
    public void I_can_let_the_build_proceed_after_a_target_marked_ProceedAfterFailure()
    {
        // Arrange
        var build = new FailingBuild();

        // Act
        var run = BuildHarness.Run(build, ["Flaky", "Lint"]);

        // Assert
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Flaky", "Lint"], build.Ran);
    }

    [Fact]
    public void I_can_see_the_stack_trace_of_an_unexpected_exception_only()
    {
        // Arrange
        var build = new FailingBuild();

        // Act
        var run = BuildHarness.Run(build, ["Crash"]);

        // Assert
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Target 'Crash' failed: unexpected", run.Output, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", run.Output, StringComparison.Ordinal);
        Assert.Contains("   at ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_run_a_target_without_actions_and_it_is_collective()
    {
        // Arrange
        var build = new FailingBuild();

        // Act
        var run = BuildHarness.Run(build, ["All"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExecutionStatus.Collective, build.ExecutionPlan.Single(t => t.Name == "All").Status);
        Assert.Contains("Build succeeded on ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_skip_a_target_with_a_false_static_condition_and_its_exclusive_dependencies_too()
    {
        // Arrange
        var build = new ConditionalBuild();

        // Act
        var run = BuildHarness.Run(build, ["Ship", "Check"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Shared", "Check"], build.Ran);
        Assert.Equal(ExecutionStatus.Skipped, build.ExecutionPlan.Single(t => t.Name == "Setup").Status);
    }

    [Fact]
    public void I_can_run_a_target_whose_static_condition_holds()
    {
        // Arrange
        var build = new ConditionalBuild();

        // Act
        BuildHarness.Run(build, ["Ship", "--deploy"]);

        // Assert
        Assert.Equal(["Setup", "Shared", "Ship"], build.Ran);
    }

    [Fact]
    public void I_can_skip_a_target_by_a_dynamic_condition_evaluated_after_its_dependencies_ran()
    {
        // Arrange
        var build = new ConditionalBuild { Ready = true };

        // Act
        var run = BuildHarness.Run(build, ["Late"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Equal(ExecutionStatus.Skipped, build.ExecutionPlan.Single(t => t.Name == "Late").Status);
    }

    [Fact]
    public void I_can_give_a_dynamic_condition_a_reason_and_see_it_as_the_skip_reason_in_the_log_and_summary()
    {
        // Arrange
        var build = new ConditionalBuild { Ready = true };

        // Act
        var run = BuildHarness.Run(build, ["Explained"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        var target = build.ExecutionPlan.Single(t => t.Name == "Explained");
        Assert.Equal(ExecutionStatus.Skipped, target.Status);
        Assert.Equal("nothing to do: inputs unchanged", target.SkipReason);
        Assert.Contains("Skipping Explained (nothing to do: inputs unchanged).", run.Output, StringComparison.Ordinal);
        Assert.Contains("Skipped  (nothing to do: inputs unchanged)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_not_run_a_target_whose_requirements_fail_and_get_told_how_to_pass_the_parameter()
    {
        // Arrange
        var build = new ConditionalBuild();

        // Act
        var run = BuildHarness.Run(build, ["Setup", "Publish"]);

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Target 'Publish' requires parameter 'ApiKey': pass --api-key <value>, set the environment variable API_KEY", run.Output, StringComparison.Ordinal);
        Assert.Contains("Target 'Publish' requires", run.Output, StringComparison.Ordinal);
        Assert.Contains("Deploy", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_run_a_target_whose_requirements_hold()
    {
        // Arrange
        var build = new ConditionalBuild();

        // Act
        var run = BuildHarness.Run(build, ["Publish", "--deploy", "--api-key", "k"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Publish"], build.Ran);
    }
}
