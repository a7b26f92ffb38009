namespace Pipeline.Build;

/// <summary>
/// A build target, declared as a property of the build class:
/// <c>Target Train =&gt; _ =&gt; _.Description("...").DependsOn(Format).Executes(() =&gt; ...);</c>
/// The engine calls the delegate once with a fresh definition to learn what the target does.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
