namespace Pipeline.Errors;

/// <summary>A pipeline stage failed; <see cref="Stage"/> names it and the inner exception says why.</summary>
public sealed class StageFailedException : PipelineException
{
    public StageFailedException()
    {
        Stage = "";
    }

    public StageFailedException(string message)
        : base(message)
    {
        Stage = "";
    }

    public StageFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Stage = "";
    }

    public StageFailedException(string stage, string message, Exception? innerException = null)
        : base($"Stage '{stage}' failed: {message}", innerException ?? new PipelineException(message))
    {
        Stage = stage;
    }

    /// <summary>The stage that failed, e.g. <c>Train</c>.</summary>
    public string Stage { get; }
}
