using Pipeline.Errors;

namespace Pipeline.Data;

/// <summary>Input data the stages cannot use: the message names the file, line, field and the fix.</summary>
public class DataException : PipelineException
{
    public DataException()
    {
    }

    public DataException(string message)
        : base(message)
    {
    }

    public DataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
