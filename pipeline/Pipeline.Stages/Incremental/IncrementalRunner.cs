using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Errors;

namespace Pipeline.Stages.Incremental;

/// <summary>
/// Runs stages for one pipeline run, skipping an <see cref="IIncrementalStage"/> whose input
/// fingerprint matches its <c>pipeline.lock</c> entry and whose outputs still match their
/// checksums. <see cref="StageSettings.Force"/> reruns every stage and
/// <see cref="IncrementalOptions.ForceStages"/> the named ones. The lock entry is written only
/// after the stage succeeds. Create one runner per run: it holds the run's file hashes.
/// </summary>
public sealed class IncrementalRunner
{
    private readonly StageSettings _settings;
    private readonly IncrementalOptions _options;
    private readonly FileHasher _hasher;

    /// <summary>Prepares a run with <paramref name="settings"/>.</summary>
    public IncrementalRunner(StageSettings settings, IncrementalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _options = options ?? new IncrementalOptions();
        LockFile = new PipelineLockFile(_options.LockFilePath ?? Path.Combine(settings.RepositoryRoot, "pipeline.lock"));
        _hasher = new FileHasher(_options.StatCachePath ?? Path.Combine(settings.ResolvedArtifactsDirectory, ".cache", "file-hashes.json"));
    }

    /// <summary>The lock file this run reads and writes.</summary>
    public PipelineLockFile LockFile { get; }

    /// <summary>The run's file hasher (shared by its stages so each file is read once).</summary>
    public FileHasher Hasher => _hasher;

    /// <summary>Runs <paramref name="stage"/> unless it is up to date; logs one line saying which and why.</summary>
    /// <exception cref="StageFailedException">The stage did not write an output it declared.</exception>
    public async Task<StageOutcome> RunAsync(IStage stage, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(logger);
        StageDeclaration declaration;
        if (stage is IAsyncIncrementalStage asynchronous)
        {
            declaration = await asynchronous.DeclareInputsAndOutputsAsync(_settings, cancellationToken).ConfigureAwait(false);
        }
        else if (stage is IIncrementalStage incremental)
        {
            declaration = incremental.DeclareInputsAndOutputs(_settings);
        }
        else
        {
            logger.LogInformation("{Stage}: running (it declares no inputs, so it always runs)", stage.Name);
            await stage.RunAsync(_settings, logger, cancellationToken).ConfigureAwait(false);
            return new StageOutcome(stage.Name, Skipped: false, "declares no inputs", "");
        }

        var fingerprint = await StageFingerprint.ComputeAsync(declaration.Inputs, _settings, _hasher, cancellationToken).ConfigureAwait(false);
        LockFile.Read().TryGetValue(stage.Name, out var previous);
        var reason = await ReasonToRunAsync(stage.Name, declaration, fingerprint, previous, cancellationToken).ConfigureAwait(false);
        if (reason is null)
        {
            var since = previous!.Completed.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            logger.LogInformation("{Stage}: up to date (inputs {Fingerprint}, unchanged since {Since})", stage.Name, fingerprint.Abbreviated, since);
            _hasher.Save();
            return new StageOutcome(stage.Name, Skipped: true, $"up to date since {since}", fingerprint.Value);
        }

        logger.LogInformation("{Stage}: running ({Reason})", stage.Name, reason);
        await stage.RunAsync(_settings, logger, cancellationToken).ConfigureAwait(false);

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in declaration.Outputs)
        {
            var checksum = await StageFingerprint.ChecksumOutputAsync(OutputPath(output), _hasher, cancellationToken).ConfigureAwait(false);
            if (checksum == StageFingerprint.Missing)
            {
                throw new StageFailedException(stage.Name,
                    $"it declares the output '{output}' but did not write {OutputPath(output)}. Fix the stage's DeclareInputsAndOutputs() or its writer.");
            }

            outputs[output] = checksum;
        }

        LockFile.WriteEntry(stage.Name, new StageLockEntry(fingerprint.Value, DateTimeOffset.UtcNow, fingerprint.Inputs, outputs));
        _hasher.Save();
        return new StageOutcome(stage.Name, Skipped: false, reason, fingerprint.Value);
    }

    /// <summary>
    /// Runs stages that do not depend on each other at the same time (evaluating the champion
    /// while training the challenger). When one fails the others are cancelled and the first
    /// failure is rethrown.
    /// </summary>
    public Task<IReadOnlyList<StageOutcome>> RunIndependentAsync(IReadOnlyList<IStage> stages, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        return ParallelStages.RunAsync(stages.Select(stage => (Func<CancellationToken, Task<StageOutcome>>)(ct => RunAsync(stage, logger, ct))), cancellationToken);
    }

    private async Task<string?> ReasonToRunAsync(
        string stage, StageDeclaration declaration, StageFingerprint fingerprint, StageLockEntry? previous, CancellationToken cancellationToken)
    {
        if (_settings.Force)
        {
            return "forced: --force";
        }

        if (_options.ForceStages.Contains(stage))
        {
            return $"forced: --force-stage {stage}";
        }

        if (previous is null)
        {
            return "no completed run recorded in pipeline.lock";
        }

        if (previous.Fingerprint != fingerprint.Value)
        {
            return "inputs changed: " + DescribeChanges(previous.Inputs, fingerprint.Inputs);
        }

        foreach (var output in declaration.Outputs)
        {
            if (!previous.Outputs.TryGetValue(output, out var recorded))
            {
                return $"output '{output}' is not recorded in pipeline.lock";
            }

            var actual = await StageFingerprint.ChecksumOutputAsync(OutputPath(output), _hasher, cancellationToken).ConfigureAwait(false);
            if (actual == StageFingerprint.Missing)
            {
                return $"output '{output}' is missing";
            }

            if (actual != recorded)
            {
                return $"output '{output}' changed since the last run (corrupted or edited)";
            }
        }

        return null;
    }

    private string OutputPath(string output) => Path.GetFullPath(output, _settings.ResolvedArtifactsDirectory);

    private static string DescribeChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changed = after.Where(a => !before.TryGetValue(a.Key, out var old) || old != a.Value).Select(a => a.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k)))
            .Order(StringComparer.Ordinal)
            .ToList();
        const int Shown = 5;
        var text = string.Join(", ", changed.Take(Shown));
        return changed.Count > Shown ? $"{text} and {changed.Count - Shown} more" : text;
    }
}
