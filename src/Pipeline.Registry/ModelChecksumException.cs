using Pipeline.Errors;

namespace Pipeline.Registry;

/// <summary>A logged model's file does not match <c>checksums.sha256</c>; <see cref="FileName"/> names it.</summary>
public sealed class ModelChecksumException : PipelineException
{
    public ModelChecksumException()
    {
        FileName = "";
    }

    public ModelChecksumException(string message)
        : base(message)
    {
        FileName = "";
    }

    public ModelChecksumException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "";
    }

    public ModelChecksumException(string fileName, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        FileName = fileName;
    }

    /// <summary>The model-relative path of the file that failed.</summary>
    public string FileName { get; }
}
