using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Errors;
using Pipeline.Registry;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Operations;

namespace Pipeline.Stages;

/// <summary>
/// Whether a pipeline run has anything to train: not when the registry's champion was produced by
/// a commit whose data, config and code equal the working tree's (<see cref="NothingToTrain"/>).
/// The build asks once, before Train, and skips Train, Evaluate and Register with the answer's message.
/// </summary>
public static partial class TrainGate
{
    /// <summary>The version tag (and run tag) holding the commit a model was built from.</summary>
    public const string CommitTag = "mlflow.source.git.commit";

    /// <summary>The version tag holding the hash of the effective configuration a model was built from.</summary>
    public const string ConfigHashTag = "pipeline.config_hash";

    /// <summary>
    /// Decides for this working tree. <see cref="StageSettings.Force"/> always trains; without a
    /// champion, a recorded commit, or a Git repository, it trains and says why.
    /// </summary>
    public static async Task<TrainDecision> DecideAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var decision = await DecideCoreAsync(settings, logger, cancellationToken).ConfigureAwait(false);
        Decided(logger, decision.Message);
        return decision;
    }

    private static async Task<TrainDecision> DecideCoreAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        if (settings.Force)
        {
            return new TrainDecision(true, "training: --force", []);
        }

        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        ModelVersion? champion;
        var (client, name) = RegistryOperations.Open(settings, logger);
        using (client)
        {
            champion = await client.TryGetByAliasAsync(name, RegistryOperations.Champion, cancellationToken).ConfigureAwait(false);
            if (champion is null)
            {
                return new TrainDecision(true, $"training: {name} has no champion yet", []);
            }

            if (!champion.Tags.TryGetValue(CommitTag, out var commit) && champion.RunId.Length > 0)
            {
                var run = await client.GetRunAsync(champion.RunId, cancellationToken).ConfigureAwait(false);
                run.Data.TagMap.TryGetValue(CommitTag, out commit);
            }

            if (string.IsNullOrEmpty(commit))
            {
                return new TrainDecision(true, $"training: champion v{champion.Version} records no {CommitTag}, so changes since it are unknown", []);
            }

            try
            {
                var decision = NothingToTrain.Check(settings.RepositoryRoot, commit, champion.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), null, RunLineage.Options(settings, config));
                // The files may be unchanged while the effective config is not: --technique, --epochs,
                // other overrides or ${VAR} expansions. The champion records the hash it was built with.
                return !decision.ShouldTrain
                    && champion.Tags.TryGetValue(ConfigHashTag, out var built) && built != RunLineage.ConfigHash(config)
                    ? new TrainDecision(true, $"training: the effective configuration (pipeline.yaml with command-line overrides and environment variables) differs from champion v{champion.Version}'s", [])
                    : decision;
            }
            catch (PipelineException ex)
            {
                return new TrainDecision(true, $"training: changes since champion v{champion.Version} are unknown ({ex.Message})", []);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Decision}")]
    private static partial void Decided(ILogger logger, string decision);
}
