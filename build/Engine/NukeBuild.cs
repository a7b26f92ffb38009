namespace Pipeline.Build;

/// <summary>
/// Base class of a build: derive from it, declare <see cref="Target"/> properties and
/// <see cref="ParameterAttribute"/> members, and call <see cref="Execute{T}(System.Linq.Expressions.Expression{Func{T, Target}})"/>
/// from <c>Main</c>.
/// </summary>
public abstract partial class NukeBuild
{
    /// <summary>The repository root: the nearest folder above the working directory that holds <c>.nuke/</c>.</summary>
    public AbsolutePath RootDirectory { get; internal set; } = AbsolutePath.Create(Directory.GetCurrentDirectory());

    /// <summary><c>.nuke/temp</c> under the root: scratch space that is never committed.</summary>
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    /// <summary>The targets named on the command line (or the default one).</summary>
    public IReadOnlyList<ExecutableTarget> InvokedTargets { get; internal set; } = [];

    /// <summary>The ordered targets of this run, with their status once they ran.</summary>
    public IReadOnlyList<ExecutableTarget> ExecutionPlan { get; internal set; } = [];

    /// <summary>Where targets write: the console, with secret values masked.</summary>
    protected internal TextWriter Output { get; internal set; } = TextWriter.Null;

    /// <summary>Cancelled on Ctrl+C; pass it to long-running work.</summary>
    protected internal CancellationToken Cancellation { get; internal set; }

    internal bool IsExpectedFailureInternal(Exception exception) => IsExpectedFailure(exception);

    internal void OnBuildFinishedInternal() => OnBuildFinished();

    /// <summary>
    /// Whether a target's exception is an expected, well-described failure: its message is printed
    /// as one line and its stack trace is left out. By default <see cref="ProcessException"/> and
    /// cancellation (Ctrl+C).
    /// </summary>
    protected virtual bool IsExpectedFailure(Exception exception) => exception is ProcessException or OperationCanceledException;

    /// <summary>Called once the targets ran (not after --help, --plan or a usage error), before the summary: release resources here.</summary>
    protected virtual void OnBuildFinished()
    {
    }
}
