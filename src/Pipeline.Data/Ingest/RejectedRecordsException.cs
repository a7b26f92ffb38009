namespace Pipeline.Data.Ingest;

/// <summary>Ingest ran with <c>--strict</c> and at least one record was rejected.</summary>
public sealed class RejectedRecordsException : DataException
{
    public RejectedRecordsException()
    {
    }

    public RejectedRecordsException(string message)
        : base(message)
    {
    }

    public RejectedRecordsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
