using Microsoft.Extensions.Logging;

namespace Pipeline.Stages;

/// <summary>
/// A stage whose implementation has not landed yet. It writes nothing and fails with one line
/// naming the stage and the issue that brings it, so no later stage trusts a fake output.
/// </summary>
internal sealed class PendingStage(string name, string landsWith) : IStage
{
    public string Name { get; } = name;

    public Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken) =>
        throw new StageNotAvailableException($"Stage '{Name}' is not available yet: it lands with {landsWith}.");
}
