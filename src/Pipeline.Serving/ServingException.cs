using Pipeline.Errors;

namespace Pipeline.Serving;

/// <summary>The model service could not start, or a model could not be resolved, loaded or run.</summary>
public class ServingException : PipelineException
{
    public ServingException()
    {
    }

    public ServingException(string message)
        : base(message)
    {
    }

    public ServingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
