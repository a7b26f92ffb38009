using Pipeline.Errors;

namespace Pipeline.Stages;

/// <summary>The stage asked for has no implementation in this version of the pipeline.</summary>
public sealed class StageNotAvailableException : PipelineException
{
    public StageNotAvailableException()
    {
    }

    public StageNotAvailableException(string message)
        : base(message)
    {
    }

    public StageNotAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
