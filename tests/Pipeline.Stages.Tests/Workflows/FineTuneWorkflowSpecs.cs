using YamlDotNet.RepresentationModel;
using static Pipeline.Stages.Tests.Workflows.Workflow;

namespace Pipeline.Stages.Tests.Workflows;

/// <summary>
/// The properties that keep fine-tune.yml safe and useful; a careless edit fails here first.
/// </summary>
public sealed class FineTuneWorkflowSpecs
{
    private const string ForkGuard = "github.event.pull_request.head.repo.full_name == github.repository";
    private static readonly string[] DataPaths = ["data/**", "pipeline.yaml"];
    private readonly Workflow _workflow = Load("fine-tune.yml");

    [Fact]
    public void I_can_trigger_it_by_pushing_data_or_config_to_main_by_a_pull_request_or_by_hand()
    {
        // Arrange
        var on = _workflow.On;

        // Act
        var push = Map(on, "push");
        var pullRequest = Map(on, "pull_request");
        var inputs = Map(Map(on, "workflow_dispatch"), "inputs");

        // Assert
        Assert.Equal(["main"], Strings(Find(push, "branches")));
        Assert.Equal(DataPaths, Strings(Find(push, "paths")));
        Assert.Equal(DataPaths, Strings(Find(pullRequest, "paths")));
        Assert.Equal("boolean", Scalar(Map(inputs, "force"), "type"));
        Assert.Contains("lora", Strings(Find(Map(inputs, "technique"), "options")));
        Assert.Null(Find(on, "pull_request_target"));
    }

    [Fact]
    public void I_can_rely_on_every_gpu_job_running_on_the_self_hosted_gpu_runner_with_a_training_sized_timeout()
    {
        // Act
        var jobs = _workflow.Jobs;

        // Assert
        Assert.NotEmpty(jobs);
        foreach (var (name, job) in jobs)
        {
            Assert.Equal(["self-hosted", "linux", "x64", "gpu"], Strings(Find(job, "runs-on")));
            var timeout = int.Parse(Scalar(job, "timeout-minutes") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(timeout is >= 60 and <= 360, $"job '{name}': timeout-minutes {timeout} should fit a training run (60-360)");
        }
    }

    [Fact]
    public void I_can_trust_that_no_fork_pull_request_ever_reaches_the_self_hosted_runner()
    {
        foreach (var (name, job) in _workflow.Jobs.Where(j => IsSelfHosted(j.Value)))
        {
            // Arrange
            var condition = Scalar(job, "if") ?? "";

            // Act
            var excludesPullRequests = condition == "github.event_name != 'pull_request'";
            var guardsForks = condition == $"github.event_name != 'pull_request' || {ForkGuard}"
                || (condition.Contains(ForkGuard, StringComparison.Ordinal) && !condition.Contains("||", StringComparison.Ordinal));

            // Assert
            Assert.True(excludesPullRequests || guardsForks, $"job '{name}' needs the job-level fork guard, found if: '{condition}'");
        }
    }

    [Fact]
    public void I_can_see_least_privilege_permissions_with_write_access_only_where_the_comment_is_posted()
    {
        // Arrange
        var top = Map(_workflow.Root, "permissions");

        // Act
        var jobsWithWrite = _workflow.Jobs.Where(j => Find(j.Value, "permissions") is YamlMappingNode p
            && p.Children.Any(c => ((YamlScalarNode)c.Value).Value == "write")).ToList();

        // Assert
        Assert.Equal([("contents", "read")], top.Children.Select(c => (((YamlScalarNode)c.Key).Value, ((YamlScalarNode)c.Value).Value)));
        var (name, job) = Assert.Single(jobsWithWrite);
        var permissions = Map(job, "permissions");
        Assert.Equal("write", Scalar(permissions, "pull-requests"));
        Assert.Equal("read", Scalar(permissions, "contents"));
        Assert.Equal(2, permissions.Children.Count);
        Assert.Contains("github.event_name == 'pull_request'", Scalar(job, "if"), StringComparison.Ordinal);
        Assert.Contains(Steps(job), s => (Scalar(s, "run") ?? "").Contains("PublishReport", StringComparison.Ordinal));
        Assert.DoesNotContain(Steps(job), s => (Scalar(s, "run") ?? "").Contains("Register", StringComparison.Ordinal));
        Assert.Contains(_workflow.Jobs.Values.Where(j => j != job).SelectMany(Steps), s => (Scalar(s, "run") ?? "").Contains("./build.sh Register", StringComparison.Ordinal));
    }

    [Fact]
    public void I_can_push_while_training_runs_on_main_and_the_running_training_is_never_cancelled()
    {
        // Arrange
        var concurrency = Map(_workflow.Root, "concurrency");

        // Act
        var group = Scalar(concurrency, "group");
        var cancel = Scalar(concurrency, "cancel-in-progress");

        // Assert
        Assert.Contains("${{ github.ref }}", group, StringComparison.Ordinal);
        Assert.True(cancel is "false" or "${{ github.event_name == 'pull_request' }}", $"cancel-in-progress '{cancel}' could cancel a training run on main");
    }

    [Fact]
    public void I_can_find_the_registry_settings_the_nuget_cache_the_checkpoint_dir_and_the_report_in_every_job()
    {
        foreach (var (name, job) in _workflow.Jobs)
        {
            // Arrange
            var env = Map(job, "env");
            var steps = Steps(job);

            // Act
            var uses = steps.Select(s => Scalar(s, "uses") ?? "").ToList();
            var cache = steps.Single(s => (Scalar(s, "uses") ?? "").StartsWith("actions/cache@", StringComparison.Ordinal));
            var upload = steps.Single(s => (Scalar(s, "uses") ?? "").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));

            // Assert
            Assert.Equal("${{ vars.MLFLOW_TRACKING_URI }}", Scalar(env, "MLFLOW_TRACKING_URI"));
            Assert.Equal("${{ secrets.MLFLOW_TRACKING_TOKEN }}", Scalar(env, "MLFLOW_TRACKING_TOKEN"));
            Assert.StartsWith("/var/cache/pipeline/${{ github.sha }}", Scalar(env, "PIPELINE_CHECKPOINT_DIR"), StringComparison.Ordinal);
            Assert.Contains("hashFiles('**/packages.lock.json')", Scalar(Map(cache, "with"), "key"), StringComparison.Ordinal);
            Assert.Equal("always()", Scalar(upload, "if"));
            Assert.Contains("artifacts/report.md", Scalar(Map(upload, "with"), "path"), StringComparison.Ordinal);
            Assert.Contains(steps, s => (Scalar(s, "run") ?? "").Contains(">> \"$GITHUB_STEP_SUMMARY\"", StringComparison.Ordinal) && Scalar(s, "if") == "always()");
            Assert.Equal("0", Scalar(Map(steps.Single(s => (Scalar(s, "uses") ?? "").StartsWith("actions/checkout@", StringComparison.Ordinal)), "with"), "fetch-depth"));
            Assert.True(uses.Count > 0, name);
        }
    }

    [Fact]
    public void I_can_keep_secrets_out_of_run_scripts_so_inputs_cannot_inject_commands()
    {
        foreach (var step in _workflow.Jobs.Values.SelectMany(Steps))
        {
            var run = Scalar(step, "run") ?? "";
            Assert.DoesNotContain("${{ secrets.", run, StringComparison.Ordinal);
            Assert.DoesNotContain("${{ inputs.", run, StringComparison.Ordinal);
            Assert.DoesNotContain("${{ github.event.", run, StringComparison.Ordinal);
        }
    }
}
