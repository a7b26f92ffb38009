using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Errors;
using Pipeline.Registry;
using Pipeline.Stages.Operations;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;

namespace Pipeline.Stages.Evaluate;

/// <summary>The model the challenger is compared with: a <c>--baseline</c> folder or the registry's champion.</summary>
/// <param name="Identity">What identifies it as an input of Evaluate: <c>baseline:XXH128</c> or <c>registry:NAME@vN:RUN</c>.</param>
/// <param name="DisplayName">How the report names it: <c>champion v3</c> or <c>baseline (folder)</c>.</param>
/// <param name="Folder">The baseline folder; null for a registry version until it is fetched.</param>
/// <param name="Version">The registered version; null for a baseline.</param>
internal sealed record Champion(string Identity, string DisplayName, string? Folder, ModelVersion? Version)
{
    /// <summary>Evaluate's input value when there is no champion.</summary>
    public const string NoneIdentity = "none";

    /// <summary>
    /// The baseline folder when <see cref="StageSettings.BaselineDirectory"/> is set, else the
    /// version behind the <c>champion</c> alias in the registry, else null (no champion yet).
    /// </summary>
    public static async Task<Champion?> FindAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.BaselineDirectory is { Length: > 0 } baseline)
        {
            var folder = Path.GetFullPath(baseline, settings.RepositoryRoot);
            if (!Directory.Exists(folder))
            {
                throw new PipelineException($"--baseline '{baseline}' does not exist (looked for {folder}); give a model folder such as an earlier run's artifacts/train/model.");
            }

            return new Champion("baseline:" + HashFolder(folder), $"baseline ({Path.GetFileName(folder.TrimEnd('/'))})", folder, null);
        }

        var (client, name) = RegistryOperations.Open(settings, logger);
        using (client)
        {
            var version = await client.TryGetByAliasAsync(name, RegistryOperations.Champion, cancellationToken).ConfigureAwait(false);
            return version is null
                ? null
                : new Champion($"registry:{name}@v{version.Version}:{version.RunId}", $"champion v{version.Version}", null, version);
        }
    }

    /// <summary>
    /// The champion's model folder: the baseline itself, or the registered version's logged model
    /// downloaded into <c>artifacts/champion/vN</c> with its checksums verified (reused when an
    /// earlier download still verifies).
    /// </summary>
    /// <exception cref="ModelChecksumException">The download does not match its checksums.</exception>
    public async Task<string> FetchAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Folder is not null)
        {
            return Folder;
        }

        var version = Version!;
        var target = StageArtifacts.PathOf(settings, StageArtifacts.Champion, "v" + version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Directory.Exists(target))
        {
            try
            {
                await LoggedModel.VerifyAsync(target, cancellationToken).ConfigureAwait(false);
                return target;
            }
            catch (ModelChecksumException ex)
            {
                logger.LogWarning("Downloading {Champion} again: the earlier download does not verify ({Reason})", DisplayName, ex.Message);
                Directory.Delete(target, recursive: true);
            }
        }

        var (client, _) = RegistryOperations.Open(settings, logger);
        using (client)
        {
            logger.LogInformation("Downloading {Champion} ({Source}) into {Folder}", DisplayName, version.Source, target);
            var folder = await LoggedModel.FetchAsync(client, version.RunId, ArtifactPathOf(version), target, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (BaseModelReference.TryRead(folder) is { } reference && ClassifierFolder.ReferencesBase(folder))
            {
                logger.LogInformation("{Champion} was logged without its base weights: it is rebuilt on base '{Base}' ({BaseSource}, sha256 {Sha256})", DisplayName, reference.Name, reference.Source, reference.Sha256);
            }

            return folder;
        }
    }

    /// <summary>The run-relative artifact path of a version's source (<c>runs:/RUN/model</c> gives <c>model</c>).</summary>
    internal static string ArtifactPathOf(ModelVersion version)
    {
        var prefix = $"runs:/{version.RunId}/";
        return version.Source.StartsWith(prefix, StringComparison.Ordinal) ? version.Source[prefix.Length..] : "model";
    }

    private static string HashFolder(string folder)
    {
        var hash = new XxHash128();
        var buffer = new byte[1 << 16];
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file).Replace('\\', '/')));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
