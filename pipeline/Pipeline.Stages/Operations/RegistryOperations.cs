using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Errors;
using Pipeline.Registry;

namespace Pipeline.Stages.Operations;

/// <summary>A registered version as <c>./build.sh Models</c> lists it.</summary>
public sealed record ModelVersionRow(int Version, IReadOnlyList<string> Aliases, string Commit, string Metrics, DateTimeOffset Created);

/// <summary>
/// The operator's registry actions behind the build's Promote, Rollback, Models and Sync
/// targets. They talk to the registry the pipeline uses: <c>register.tracking_uri</c> (or
/// <c>MLFLOW_TRACKING_URI</c>) when set, else the local registry under <c>./mlruns</c>.
/// </summary>
public static class RegistryOperations
{
    /// <summary>The alias a gate-passing version gets.</summary>
    public const string Champion = "champion";

    /// <summary>Moves <c>champion</c> to <paramref name="version"/>, recording who and why.</summary>
    public static async Task<AliasMove> PromoteAsync(StageSettings settings, int version, string reason, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var (client, name) = Open(settings, logger);
        using var _ = client as IDisposable;
        var move = await client.PromoteAsync(name, version, Champion, Actor(), reason, cancellationToken).ConfigureAwait(false);
        if (move.Unchanged)
        {
            logger.LogInformation("{Model}@{Alias} already points at version {Version}", name, Champion, move.Current);
        }
        else
        {
            logger.LogInformation("{Model}@{Alias}: version {Previous} -> {Version}", name, Champion, move.Previous?.ToString(CultureInfo.InvariantCulture) ?? "none", move.Current);
        }

        return move;
    }

    /// <summary>Moves <c>champion</c> back to the version it pointed at before the last promotion.</summary>
    public static async Task<AliasMove> RollbackAsync(StageSettings settings, string reason, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var (client, name) = Open(settings, logger);
        using var _ = client as IDisposable;
        var move = await client.RollbackAsync(name, Champion, Actor(), reason, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Model}@{Alias} rolled back: version {Previous} -> {Version}", name, Champion, move.Previous, move.Current);
        return move;
    }

    /// <summary>The model's versions, newest first, with aliases, commit and metrics.</summary>
    public static async Task<IReadOnlyList<ModelVersionRow>> ListAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken = default)
    {
        var (client, name) = Open(settings, logger);
        using var _ = client as IDisposable;
        var rows = new List<ModelVersionRow>();
        await foreach (var version in client.SearchAllModelVersionsAsync($"name='{name.Replace("'", "\\'", StringComparison.Ordinal)}'", cancellationToken).ConfigureAwait(false))
        {
            var metrics = "";
            if (version.RunId.Length > 0)
            {
                var run = await client.GetRunAsync(version.RunId, cancellationToken).ConfigureAwait(false);
                metrics = string.Join(", ", run.Data.Metrics
                    .Where(m => m.Key is "test.macro_f1" or "test.accuracy" or "macro_f1" or "accuracy")
                    .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.000}")));
            }

            version.Tags.TryGetValue("mlflow.source.git.commit", out var commit);
            rows.Add(new ModelVersionRow(version.Version, version.Aliases, commit is { Length: > 7 } ? commit[..7] : commit ?? "",
                metrics, DateTimeOffset.FromUnixTimeMilliseconds(version.CreationTimestamp)));
        }

        return [.. rows.OrderByDescending(r => r.Version)];
    }

    /// <summary>Replays the local registry under <c>./mlruns</c> into the MLflow server at <paramref name="trackingUri"/>.</summary>
    public static async Task<SyncReport> SyncAsync(StageSettings settings, string trackingUri, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(trackingUri);
        var options = MlflowClientOptions.FromEnvironment(variable => variable == "MLFLOW_TRACKING_URI" ? trackingUri : Environment.GetEnvironmentVariable(variable))
            ?? throw new PipelineException($"'{trackingUri}' is not an http(s) MLflow tracking URI.");
        using var local = new LocalRegistry(LocalRoot(settings), logger);
        using var remote = new MlflowClient(options, logger);
        var report = await RegistrySync.SyncAsync(local, remote, logger, cancellationToken).ConfigureAwait(false);
        if (report.CreatedNothing)
        {
            logger.LogInformation("Sync: {Uri} already had everything", Lineage.RemoteUrls.StripCredentials(trackingUri));
        }
        else
        {
            logger.LogInformation("Sync: {Uri}: {Report}", Lineage.RemoteUrls.StripCredentials(trackingUri), report);
        }

        return report;
    }

    /// <summary>The registry client and model name for this repository's config.</summary>
    internal static (IMlflowClient Client, string ModelName) Open(StageSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var configured = config.Register.TrackingUri;
        var client = MlflowClients.FromEnvironment(LocalRoot(settings), logger,
            variable => variable == "MLFLOW_TRACKING_URI" && !string.IsNullOrWhiteSpace(configured) ? configured : Environment.GetEnvironmentVariable(variable));
        return (client, config.Register.ModelName);
    }

    private static string LocalRoot(StageSettings settings) => Path.Combine(settings.RepositoryRoot, "mlruns");

    private static string Actor() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? actor : Environment.UserName;
}
