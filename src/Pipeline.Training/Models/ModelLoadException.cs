using Pipeline.Errors;

namespace Pipeline.Training.Models;

/// <summary>A model could not be found, imported or loaded; the message lists what is wrong and how to fix it.</summary>
public sealed class ModelLoadException : PipelineException
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
