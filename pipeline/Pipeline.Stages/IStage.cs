using Microsoft.Extensions.Logging;

namespace Pipeline.Stages;

/// <summary>One stage of the pipeline: reads its inputs, writes its outputs under the artifacts folder.</summary>
public interface IStage
{
    /// <summary>The stage's name, one of <see cref="StageNames"/>.</summary>
    string Name { get; }

    /// <summary>Runs the stage. Throws a <see cref="Errors.PipelineException"/> with a clear message on bad input.</summary>
    Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken);
}
