using System.Collections;
using System.Linq.Expressions;

namespace Pipeline.Build.Internal;

/// <summary>Checks every planned target's <c>Requires</c> before anything runs.</summary>
internal static class Requirements
{
    /// <exception cref="BuildDefinitionException">A required parameter is unset or a condition is false.</exception>
    public static void Check(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<BuildParameter> parameters)
    {
        var problems = new List<string>();
        foreach (var target in plan.Where(t => t.Status != ExecutionStatus.Skipped))
        {
            foreach (var requirement in target.RequiredParameters.Where(r => IsMissing(r.Compile()())))
            {
                var member = MemberName(requirement.Body);
                var parameter = parameters.FirstOrDefault(p => p.MemberName == member);
                problems.Add(parameter is null
                    ? $"Target '{target.Name}' requires '{requirement.Body}' to be set."
                    : $"Target '{target.Name}' requires parameter '{parameter.Name}': pass {parameter.Option} <value>, "
                        + $"set the environment variable {parameter.EnvironmentVariable}, or add \"{parameter.Name}\" to .nuke/parameters.json.");
            }

            foreach (var requirement in target.Requirements.Where(r => !r.Compile()()))
            {
                problems.Add($"Target '{target.Name}' requires {requirement.Body}, which is false.");
            }
        }

        if (problems.Count > 0)
        {
            throw new BuildDefinitionException(string.Join(Environment.NewLine, problems));
        }
    }

    private static bool IsMissing(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    private static string? MemberName(Expression body) => body switch
    {
        UnaryExpression { NodeType: ExpressionType.Convert } convert => MemberName(convert.Operand),
        MemberExpression member => member.Member.Name,
        _ => null,
    };
}
