using System.Linq.Expressions;

namespace Pipeline.Build.Internal;

/// <summary>Records what a target's delegate declares; <see cref="TargetGraph"/> resolves the references.</summary>
internal sealed class TargetDefinition(ExecutableTarget target) : ITargetDefinition
{
    public ExecutableTarget Target { get; } = target;

    public List<Target> DependsOnTargets { get; } = [];

    public List<Target> AfterTargets { get; } = [];

    public List<Target> BeforeTargets { get; } = [];

    public List<Target> TriggersTargets { get; } = [];

    public List<Target> TriggeredByTargets { get; } = [];

    public ITargetDefinition Description(string description)
    {
        Target.Description = description;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets) => Add(DependsOnTargets, targets);

    public ITargetDefinition After(params Target[] targets) => Add(AfterTargets, targets);

    public ITargetDefinition Before(params Target[] targets) => Add(BeforeTargets, targets);

    public ITargetDefinition Triggers(params Target[] targets) => Add(TriggersTargets, targets);

    public ITargetDefinition TriggeredBy(params Target[] targets) => Add(TriggeredByTargets, targets);

    public ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions) => Add(Target.StaticConditions, conditions);

    public ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions) => Add(Target.DynamicConditions, conditions);

    public ITargetDefinition OnlyWhenDynamic(Expression<Func<bool>> condition, Func<string> reason)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(reason);
        Target.DynamicConditions.Add(condition);
        Target.DynamicReasons[condition] = reason;
        return this;
    }

    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameterRequirement) => Add(Target.RequiredParameters, parameterRequirement);

    public ITargetDefinition Requires(params Expression<Func<bool>>[] requirement) => Add(Target.Requirements, requirement);

    public ITargetDefinition Executes(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Target.Actions.Add(() =>
        {
            action();
            return Task.CompletedTask;
        });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Target.Actions.Add(action);
        return this;
    }

    public ITargetDefinition ProceedAfterFailure()
    {
        Target.ProceedsAfterFailure = true;
        return this;
    }

    public ITargetDefinition AssuredAfterFailure()
    {
        Target.IsAssured = true;
        return this;
    }

    private TargetDefinition Add<T>(List<T> list, T[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        list.AddRange(items);
        return this;
    }
}
