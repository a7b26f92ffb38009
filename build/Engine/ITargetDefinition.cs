using System.Linq.Expressions;

namespace Pipeline.Build;

/// <summary>The fluent API a <see cref="Target"/> uses to declare what it does and when it runs.</summary>
public interface ITargetDefinition
{
    /// <summary>One line shown by <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>Targets that must run (and succeed) before this one; they join the plan.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>When both are planned, this target runs after <paramref name="targets"/>; adds nothing to the plan.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>When both are planned, this target runs before <paramref name="targets"/>; adds nothing to the plan.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Planning this target also plans <paramref name="targets"/>, which run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>Planning any of <paramref name="targets"/> also plans this target, which runs after them.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>
    /// Conditions evaluated before anything runs. If one is false the target is skipped, and so are
    /// its dependencies that no other planned target needs.
    /// </summary>
    ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions);

    /// <summary>Conditions evaluated just before the target runs; if one is false the target is skipped.</summary>
    ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions);

    /// <summary>
    /// A condition evaluated just before the target runs; if it is false the target is skipped and
    /// <paramref name="reason"/> (asked then) is the skip reason shown in the log and the summary.
    /// </summary>
    ITargetDefinition OnlyWhenDynamic(Expression<Func<bool>> condition, Func<string> reason);

    /// <summary>
    /// Parameters that must be set (not null, not empty), checked before any target runs; the error
    /// names the parameter and how to pass it.
    /// </summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] parameterRequirement);

    /// <summary>Conditions that must hold, checked before any target runs.</summary>
    ITargetDefinition Requires(params Expression<Func<bool>>[] requirement);

    /// <summary>Work to do; several calls run in order.</summary>
    ITargetDefinition Executes(Action action);

    /// <summary>Asynchronous work to do; several calls run in order.</summary>
    ITargetDefinition Executes(Func<Task> action);

    /// <summary>If this target fails, the build still runs the planned targets that do not depend on it.</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>This target runs even after another target failed (clean-up, reports).</summary>
    ITargetDefinition AssuredAfterFailure();
}
