using Pipeline.Errors;

namespace Pipeline.Stages.Reporting;

/// <summary>The report could not be posted on the pull request; the message says why and how to fix it.</summary>
public sealed class ReportPublishException : PipelineException
{
    public ReportPublishException()
    {
    }

    public ReportPublishException(string message)
        : base(message)
    {
    }

    public ReportPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
