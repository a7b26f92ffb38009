namespace Pipeline.Data;

/// <summary>A source path escapes the repository (<c>..</c> or a symlink pointing outside it) or cannot be read.</summary>
public sealed class SourceAccessException : DataException
{
    public SourceAccessException()
    {
    }

    public SourceAccessException(string message)
        : base(message)
    {
    }

    public SourceAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
