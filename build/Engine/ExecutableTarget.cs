using System.Linq.Expressions;

namespace Pipeline.Build;

/// <summary>A target as the engine sees it once its definition has been read.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(string name, int declarationIndex)
    {
        Name = name;
        DeclarationIndex = declarationIndex;
    }

    /// <summary>The property's name, e.g. <c>Train</c>.</summary>
    public string Name { get; }

    /// <summary>The target's description, or empty.</summary>
    public string Description { get; internal set; } = "";

    /// <summary>Names of the targets this one depends on.</summary>
    public IReadOnlyList<string> Dependencies => DependsOn;

    /// <summary>What happened to the target in this run.</summary>
    public ExecutionStatus Status { get; internal set; } = ExecutionStatus.Scheduled;

    /// <summary>How long its actions ran.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Why it was skipped, when it was.</summary>
    public string? SkipReason { get; internal set; }

    internal int DeclarationIndex { get; }

    internal List<string> DependsOn { get; } = [];

    internal List<string> RunsAfter { get; } = [];

    internal List<string> RunsBefore { get; } = [];

    internal List<string> TriggersTargets { get; } = [];

    internal List<Expression<Func<bool>>> StaticConditions { get; } = [];

    internal List<Expression<Func<bool>>> DynamicConditions { get; } = [];

    /// <summary>Skip reasons of the dynamic conditions that have one.</summary>
    internal Dictionary<Expression<Func<bool>>, Func<string>> DynamicReasons { get; } = [];

    internal List<Expression<Func<object?>>> RequiredParameters { get; } = [];

    internal List<Expression<Func<bool>>> Requirements { get; } = [];

    internal List<Func<Task>> Actions { get; } = [];

    internal bool ProceedsAfterFailure { get; set; }

    internal bool IsAssured { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
