using Pipeline.Errors;

namespace Pipeline.Evaluation;

/// <summary>Predictions or gate rules that cannot be evaluated: the message says which input and how to fix it.</summary>
public sealed class EvaluationException : PipelineException
{
    public EvaluationException()
    {
    }

    public EvaluationException(string message)
        : base(message)
    {
    }

    public EvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
