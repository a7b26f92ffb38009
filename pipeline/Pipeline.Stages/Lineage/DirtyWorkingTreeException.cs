using Pipeline.Errors;

namespace Pipeline.Stages.Lineage;

/// <summary>The working tree has uncommitted changes where a clean one is required.</summary>
public sealed class DirtyWorkingTreeException : PipelineException
{
    public DirtyWorkingTreeException()
    {
    }

    public DirtyWorkingTreeException(string message)
        : base(message)
    {
    }

    public DirtyWorkingTreeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
