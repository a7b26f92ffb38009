using Microsoft.Extensions.Logging;
using Pipeline.Errors;

namespace Pipeline.Stages;

/// <summary>The entry point the build's stage targets call: one method, one stage.</summary>
public static class PipelineStages
{
    private static readonly Dictionary<string, IStage> Catalog = new(StringComparer.OrdinalIgnoreCase)
    {
        [StageNames.Ingest] = new Data.IngestStage(),
        [StageNames.Clean] = new Data.CleanStage(),
        [StageNames.Format] = new Data.FormatStage(),
        [StageNames.Train] = new Training.TrainStage(),
        [StageNames.Evaluate] = new Evaluate.EvaluateStage(),
        [StageNames.Register] = new Register.RegisterStage(),
    };

    /// <summary>The stage called <paramref name="stageName"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No stage has that name.</exception>
    public static IStage Get(string stageName) =>
        Catalog.TryGetValue(stageName, out var stage)
            ? stage
            : throw new ArgumentException($"Unknown stage '{stageName}'. Stages: {string.Join(", ", StageNames.All)}.", nameof(stageName));

    /// <summary>Runs the stage called <paramref name="stageName"/>, whatever its inputs.</summary>
    /// <exception cref="ArgumentException">No stage has that name.</exception>
    /// <exception cref="PipelineException">The stage failed; the message says why.</exception>
    public static async Task RunAsync(string stageName, StageSettings settings, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var stage = Get(stageName);
        using var scope = logger.BeginScope(stage.Name);
        await stage.RunAsync(settings, logger, cancellationToken).ConfigureAwait(false);
    }
}
