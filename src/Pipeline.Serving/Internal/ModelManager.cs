using Microsoft.Extensions.Logging;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Internal;

/// <summary>What a reload did.</summary>
internal enum ReloadOutcome
{
    /// <summary>The reference still points at the version serving; nothing changed.</summary>
    Unchanged,

    /// <summary>A new version loaded, passed the smoke prediction and serves now.</summary>
    Swapped,

    /// <summary>The new version failed to load or failed the smoke prediction; the old one keeps serving.</summary>
    Refused,
}

/// <summary>The result of one reload.</summary>
internal sealed record ReloadResult(ReloadOutcome Outcome, string? Version, string? PreviousVersion, string? Error);

/// <summary>The last refused reload, reported by <c>/readyz</c>.</summary>
internal sealed record ReloadFailure(DateTimeOffset At, string? Version, string Error);

/// <summary>
/// Loads the first version and later ones: resolve, load beside the serving model, smoke-predict,
/// swap, and let the holder dispose the old model when its last batch ends. One reload at a time.
/// </summary>
internal sealed partial class ModelManager : IDisposable
{
    private readonly ServingOptions _options;
    private readonly ModelReference _reference;
    private readonly IModelSource _source;
    private readonly ModelHolder _holder;
    private readonly PrometheusMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ReloadFailure? _lastFailure;

    public ModelManager(ServingOptions options, ModelReference reference, IModelSource source, ModelHolder holder, PrometheusMetrics metrics, ILogger logger)
    {
        _options = options;
        _reference = reference;
        _source = source;
        _holder = holder;
        _metrics = metrics;
        _logger = logger;
    }

    public ModelReference Reference => _reference;

    public ReloadFailure? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Checks the reference and, when it points at another version (or <paramref name="force"/>), loads and swaps.</summary>
    public async Task<ReloadResult> ReloadAsync(bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _holder.Current?.Descriptor;
            string? target = null;
            IServingModel? candidate = null;
            try
            {
                target = await _source.ResolveVersionAsync(_reference, cancellationToken).ConfigureAwait(false);
                if (!force && current is not null && string.Equals(target, current.Version, StringComparison.Ordinal))
                {
                    return new ReloadResult(ReloadOutcome.Unchanged, current.Version, current.Version, null);
                }

                candidate = await _source.LoadAsync(_reference, cancellationToken).ConfigureAwait(false);
                target = candidate.Descriptor.Version;
                Smoke(candidate);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                candidate?.Dispose();
                var failure = new ReloadFailure(DateTimeOffset.UtcNow, target, e.Message);
                Volatile.Write(ref _lastFailure, failure);
                _metrics.CountReload("refused");
                LogRefused(_logger, _reference.Raw, target ?? "(unresolved)", current?.Version ?? "(none)", e);
                return new ReloadResult(ReloadOutcome.Refused, target, current?.Version, e.Message);
            }

            var descriptor = candidate.Descriptor with { Alias = candidate.Descriptor.Alias ?? _reference.Alias };
            var previous = _holder.Swap(new AliasedModel(candidate, descriptor));
            _metrics.SetModel(descriptor);
            _metrics.CountReload("swapped");
            Volatile.Write(ref _lastFailure, null);
            LogSwapped(_logger, descriptor.Name, descriptor.Version, previous?.Version ?? "(none)");
            return new ReloadResult(ReloadOutcome.Swapped, descriptor.Version, previous?.Version, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Polls the reference until cancelled; failures are logged and reported, never thrown.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ReloadAsync(force: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>An 8×8 grey PNG, base64: the smoke input of an image model.</summary>
    private const string SmokeImage = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAD0lEQVR4nGNowAEYhpYEAILzYAGc7g8kAAAAAElFTkSuQmCC";

    private void Smoke(IServingModel candidate)
    {
        var predictions = candidate.Predict([candidate.Modality == ModelModality.Image ? SmokeImage : _options.SmokeText]);
        if (predictions.Count != 1 || predictions[0].Heads.Count != candidate.Heads.Count)
        {
            throw new ServingException(
                $"The smoke prediction of {candidate.Descriptor.Name} v{candidate.Descriptor.Version} returned {predictions.Count} predictions; expected 1 with {candidate.Heads.Count} heads.");
        }

        for (var h = 0; h < candidate.Heads.Count; h++)
        {
            var head = candidate.Heads[h];
            var answer = predictions[0].Heads[h];
            var probabilities = answer.Scores.Count == head.Labels.Count && answer.Scores.All(s => float.IsFinite(s) && s is >= 0f and <= 1f);
            var normalised = head.MultiLabel || Math.Abs(answer.Scores.Sum() - 1f) <= 1e-3f;
            if (!probabilities || !normalised || !head.Labels.Contains(answer.Label) || answer.Labels.Any(l => !head.Labels.Contains(l)))
            {
                var rule = head.MultiLabel ? "finite probabilities in [0, 1]" : "finite probabilities summing to 1";
                throw new ServingException(
                    $"The smoke prediction of {candidate.Descriptor.Name} v{candidate.Descriptor.Version} is invalid for head '{head.Name}': scores [{string.Join(", ", answer.Scores)}] must be {head.Labels.Count} {rule} (NaN or infinite weights?).");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reload of {Reference} refused: version {Version} failed to load or failed the smoke prediction; version {Serving} keeps serving")]
    private static partial void LogRefused(ILogger logger, string reference, string version, string serving, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Name} v{Version} serves now (was {Previous})")]
    private static partial void LogSwapped(ILogger logger, string name, string version, string previous);

    /// <summary>Reports the alias the reference resolved through, delegating everything else.</summary>
    private sealed class AliasedModel(IServingModel inner, ModelDescriptor descriptor) : IServingModel
    {
        public ModelDescriptor Descriptor { get; } = descriptor;

        public IReadOnlyList<ModelHead> Heads => inner.Heads;

        public ModelModality Modality => inner.Modality;

        public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts) => inner.Predict(texts);

        public void Dispose() => inner.Dispose();
    }
}
