using System.Globalization;
using Pipeline.Errors;

namespace Pipeline.Registry;

/// <summary>An alias move: where it pointed before (null when it was unset) and where it points now.</summary>
public sealed record AliasMove(string Model, string Alias, int? Previous, int Current)
{
    /// <summary>True when the alias already pointed at <see cref="Current"/> and nothing changed.</summary>
    public bool Unchanged => Previous == Current;
}

/// <summary>
/// Moves aliases (MLflow's replacement for stages) with an audit trail: the version moved to
/// gets tags saying who moved the alias, why and when, and the registered model keeps the
/// alias's previous version in <c>pipeline.previous.&lt;alias&gt;</c> so a rollback knows where to go.
/// </summary>
public static class ModelPromotion
{
    /// <summary>Registered-model tag prefix holding an alias's previous version.</summary>
    public const string PreviousTagPrefix = "pipeline.previous.";

    /// <summary>The version an alias points at, or null when the alias (or the model) does not exist.</summary>
    public static async Task<ModelVersion?> TryGetByAliasAsync(this IMlflowClient client, string name, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.GetModelVersionByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode is MlflowErrorCodes.InvalidParameterValue or MlflowErrorCodes.ResourceDoesNotExist)
        {
            // MLflow answers INVALID_PARAMETER_VALUE (400), not 404, for an unknown alias.
            return null;
        }
    }

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/>, recording the previous version
    /// and <paramref name="actor"/>/<paramref name="reason"/>. Moving it where it already is changes nothing.
    /// </summary>
    public static async Task<AliasMove> PromoteAsync(
        this IMlflowClient client, string name, int version, string alias, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        var current = await client.TryGetByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false);
        if (current?.Version == version)
        {
            return new AliasMove(name, alias, version, version);
        }

        if (current is not null)
        {
            await client.SetRegisteredModelTagAsync(name, PreviousTagPrefix + alias, current.Version.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(client, name, version, alias, actor, reason, cancellationToken).ConfigureAwait(false);
        await client.SetRegisteredModelAliasAsync(name, alias, version, cancellationToken).ConfigureAwait(false);
        return new AliasMove(name, alias, current?.Version, version);
    }

    /// <summary>
    /// Moves <paramref name="alias"/> back to the version recorded by the last promotion; the
    /// version rolled back from becomes the recorded previous one, so a second rollback undoes the first.
    /// </summary>
    public static async Task<AliasMove> RollbackAsync(
        this IMlflowClient client, string name, string alias, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var model = await client.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        if (!model.Tags.TryGetValue(PreviousTagPrefix + alias, out var previousText)
            || !int.TryParse(previousText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var previous))
        {
            throw new PipelineException(
                $"Model '{name}' has no previous '{alias}' recorded (tag {PreviousTagPrefix}{alias}); nothing to roll back to. Promote a version explicitly instead.");
        }

        var move = await client.PromoteAsync(name, previous, alias, actor, "rollback: " + reason, cancellationToken).ConfigureAwait(false);
        return move;
    }

    private static async Task RecordAsync(IMlflowClient client, string name, int version, string alias, string actor, string reason, CancellationToken cancellationToken)
    {
        var prefix = "pipeline." + alias + ".";
        await client.SetModelVersionTagAsync(name, version, prefix + "by", actor, cancellationToken).ConfigureAwait(false);
        await client.SetModelVersionTagAsync(name, version, prefix + "reason", reason, cancellationToken).ConfigureAwait(false);
        await client.SetModelVersionTagAsync(name, version, prefix + "at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }
}
