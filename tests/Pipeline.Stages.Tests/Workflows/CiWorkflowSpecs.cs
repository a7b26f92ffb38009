using static Pipeline.Stages.Tests.Workflows.Workflow;

namespace Pipeline.Stages.Tests.Workflows;

/// <summary>ci.yml: code changes build and test on a hosted runner, never on the GPU runner.</summary>
public sealed class CiWorkflowSpecs
{
    private readonly Workflow _workflow = Load("ci.yml");

    [Fact]
    public void I_can_rely_on_ci_running_on_hosted_runners_with_read_only_permissions()
    {
        // Act
        var permissions = Map(_workflow.Root, "permissions");

        // Assert
        Assert.Equal("read", Scalar(permissions, "contents"));
        Assert.Single(permissions.Children);
        Assert.All(_workflow.Jobs, j => Assert.False(IsSelfHosted(j.Value), $"job '{j.Key}' must not use the self-hosted runner"));
        Assert.All(_workflow.Jobs, j => Assert.NotNull(Scalar(j.Value, "timeout-minutes")));
    }

    [Fact]
    public void I_can_push_only_data_and_ci_leaves_it_to_the_fine_tune_workflow()
    {
        // Act
        var push = Map(_workflow.On, "push");
        var pullRequest = Map(_workflow.On, "pull_request");

        // Assert
        Assert.Contains("data/**", Strings(Find(push, "paths-ignore")));
        Assert.Contains("pipeline.yaml", Strings(Find(push, "paths-ignore")));
        Assert.Contains("data/**", Strings(Find(pullRequest, "paths-ignore")));
        Assert.Null(Find(_workflow.On, "pull_request_target"));
    }

    [Fact]
    public void I_can_rely_on_ci_caching_nuget_by_the_lock_files()
    {
        // Act
        var cache = _workflow.Jobs.Values.SelectMany(Steps).Single(s => (Scalar(s, "uses") ?? "").StartsWith("actions/cache@", StringComparison.Ordinal));

        // Assert
        Assert.Contains("packages.lock.json", Scalar(Map(cache, "with"), "key"), StringComparison.Ordinal);
    }
}
