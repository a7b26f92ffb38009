using System.Globalization;
using Pipeline.Build;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Operations;
using Pipeline.Stages.Reporting;

/// <content>Operator and CI targets around the pipeline: registry aliases, sync, the PR report, the local trigger.</content>
internal sealed partial class Build
{
    [Parameter("Model version for Promote")]
    internal int? ModelVersion { get; init; }

    [Parameter("Why an alias moves (recorded on the version by Promote and Rollback)")]
    internal string Reason { get; init; } = "manual";

    [Parameter("MLflow tracking URI that Sync replays the local registry into")]
    internal string? To { get; init; }

    [Parameter("Pull request number for PublishReport (default: from GITHUB_EVENT_PATH)")]
    internal int? PullRequest { get; init; }

    [Parameter("Branch that Watch follows")]
    internal string Branch { get; init; } = "main";

    [Parameter("Watch: process the pending commits once and exit instead of polling")]
    internal bool Once { get; init; }

    [Parameter("Watch: seconds between polls")]
    internal int PollSeconds { get; init; } = 60;

    internal Target Promote => _ => _
        .Description("Moves the champion alias to --model-version N, recording who and why")
        .Requires(() => ModelVersion)
        .Executes(() => RegistryOperations.PromoteAsync(Settings, ModelVersion!.Value, Reason, Logger, Cancellation));

    internal Target Rollback => _ => _
        .Description("Moves the champion alias back to the previous champion")
        .Executes(() => RegistryOperations.RollbackAsync(Settings, Reason, Logger, Cancellation));

    internal Target Models => _ => _
        .Description("Lists the registered versions with alias, metrics, commit and date")
        .Executes(async () =>
        {
            var rows = await RegistryOperations.ListAsync(Settings, Logger, Cancellation).ConfigureAwait(false);
            Output.WriteLine(rows.Count == 0 ? "No registered versions yet." : $"{"version",-8} {"aliases",-22} {"commit",-8} {"created (UTC)",-17} metrics");
            foreach (var row in rows)
            {
                Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Version,-8} {string.Join(",", row.Aliases),-22} {row.Commit,-8} {row.Created.UtcDateTime,-17:yyyy-MM-dd HH:mm} {row.Metrics}"));
            }
        });

    internal Target Sync => _ => _
        .Description("Replays the local registry (./mlruns) into the MLflow server given by --to")
        .Requires(() => To)
        .Executes(() => RegistryOperations.SyncAsync(Settings, To!, Logger, Cancellation));

    internal Target PublishReport => _ => _
        .Description("Posts artifacts/report.md as the pull request's sticky comment (needs GITHUB_TOKEN)")
        .Executes(() => PullRequestReportPublisher.PublishFileAsync(ArtifactsDirectory / "report.md", Logger, PullRequest, Cancellation));

    internal Target Watch => _ => _
        .Description("Runs the pipeline for each new commit on --branch that touches the data (--once: then exit)")
        .Executes(async () =>
        {
            var watcher = new DataCommitWatcher(RootDirectory, ArtifactsDirectory / "watch" / $"{Branch.Replace('/', '_')}.last", new LineageOptions());
            async Task RunAsync(PendingCommit commit, CancellationToken cancellationToken)
            {
                await ProcessTasks.RunAsync("git", ["checkout", "--quiet", "--detach", commit.Sha], RootDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
                await ProcessTasks.RunAsync(RootDirectory / "build.sh", ["Register"], RootDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (Once)
            {
                await watcher.RunPendingAsync(Branch, RunAsync, Logger, Cancellation).ConfigureAwait(false);
            }
            else
            {
                await watcher.WatchAsync(Branch, TimeSpan.FromSeconds(PollSeconds), RunAsync, Logger, Cancellation).ConfigureAwait(false);
            }
        });
}
