using Microsoft.Extensions.Logging;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages;

/// <summary>
/// One pipeline run in a working tree: holds the run lock (one run at a time per tree) and
/// the incremental runner (stages whose inputs did not change are skipped), and runs stages
/// by name. The build starts one per process, before its first stage target.
/// </summary>
public sealed class PipelineRun : IDisposable
{
    private readonly RunLock _lock;
    private readonly IncrementalRunner _runner;
    private readonly ILogger _logger;

    private PipelineRun(RunLock runLock, IncrementalRunner runner, ILogger logger)
    {
        _lock = runLock;
        _runner = runner;
        _logger = logger;
    }

    /// <summary>The lock file this run reads and writes.</summary>
    public PipelineLockFile LockFile => _runner.LockFile;

    /// <summary>
    /// Takes the working tree's run lock (or fails with <see cref="RunInProgressException"/>
    /// naming the other run) and prepares the incremental runner.
    /// </summary>
    public static PipelineRun Start(StageSettings settings, IncrementalOptions? options, string command, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var runLock = RunLock.Acquire(settings.ResolvedArtifactsDirectory, command, logger);
        try
        {
            return new PipelineRun(runLock, new IncrementalRunner(settings, options), logger);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>Runs the stage called <paramref name="stageName"/> unless it is up to date.</summary>
    public Task<StageOutcome> RunStageAsync(string stageName, CancellationToken cancellationToken = default) =>
        _runner.RunAsync(PipelineStages.Get(stageName), _logger, cancellationToken);

    /// <summary>Releases the run lock.</summary>
    public void Dispose() => _lock.Dispose();
}
