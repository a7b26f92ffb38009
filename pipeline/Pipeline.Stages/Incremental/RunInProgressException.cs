using Pipeline.Errors;

namespace Pipeline.Stages.Incremental;

/// <summary>Another pipeline run holds this working tree's run lock; the message names it.</summary>
public sealed class RunInProgressException : PipelineException
{
    public RunInProgressException()
    {
    }

    public RunInProgressException(string message)
        : base(message)
    {
    }

    public RunInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The run holding the lock, when its metadata could be read.</summary>
    public RunLockInfo? Holder { get; init; }
}
