namespace Pipeline.Errors;

/// <summary>
/// Root of the pipeline's own errors: the message says what failed, which input, where, and
/// how to fix it, so the build prints it as one line without a stack trace.
/// </summary>
public class PipelineException : Exception
{
    public PipelineException()
    {
    }

    public PipelineException(string message)
        : base(message)
    {
    }

    public PipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
