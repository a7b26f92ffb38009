namespace Pipeline.Data.Cleaning;

/// <summary>The same text carries different labels and <c>clean.conflicts</c> is <c>fail</c>.</summary>
public sealed class LabelConflictException : DataException
{
    public LabelConflictException()
    {
    }

    public LabelConflictException(string message)
        : base(message)
    {
    }

    public LabelConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
