
namespace Pipeline.Build.Tests;

/// <summary>What one in-process run of a test build returned.</summary>
public sealed record BuildRun<T>(int ExitCode, string Output, T Build, string RootDirectory)
    where T : NukeBuild;

/// <summary>Runs small test builds in a fresh temporary root folder, capturing their output.</summary>
public static class BuildHarness
{
    /// <summary>Runs <paramref name="build"/> with <paramref name="args"/>; <paramref name="parametersJson"/> becomes .nuke/parameters.json.</summary>
    public static BuildRun<T> Run<T>(
        T build,
        string[] args,
        Dictionary<string, string>? environment = null,
        string? parametersJson = null,
        System.Linq.Expressions.Expression<Func<T, Target>>? defaultTarget = null)
        where T : NukeBuild
    {
        var root = Directory.CreateTempSubdirectory("build-tests-").FullName;
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        if (parametersJson is not null)
        {
            File.WriteAllText(Path.Combine(root, ".nuke", "parameters.json"), parametersJson);
        }

        using var output = new StringWriter();
        var exitCode = NukeBuild.Execute(build, args, environment ?? [], root, output, defaultTarget);
        return new BuildRun<T>(exitCode, output.ToString(), build, root);
    }

    /// <summary>The target names of a plan listing in <paramref name="output"/> ("  1. Name").</summary>
    public static List<string> PlanOrder(string output) =>
        output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 2 && char.IsDigit(l[0]) && l.Contains(". ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(". ", StringComparison.Ordinal) + 2)..].Split(' ')[0])
            .ToList();
}
