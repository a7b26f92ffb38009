using System.Collections;
using System.Linq.Expressions;
using Pipeline.Build.Internal;

namespace Pipeline.Build;

/// <content>Entry points: one for <c>Main</c>, one for tests.</content>
public abstract partial class NukeBuild
{
    /// <summary>Exit code: every planned target succeeded (or --help / --plan).</summary>
    public const int ExitSuccess = 0;

    /// <summary>Exit code: a target failed.</summary>
    public const int ExitTargetFailed = 1;

    /// <summary>Exit code: the command line, a parameter value or the build definition is wrong; nothing ran.</summary>
    public const int ExitUsageError = 2;

    /// <summary>
    /// Runs the build for this process: its command line and environment, the console as output
    /// (secrets masked), and <paramref name="defaultTarget"/> when no target is named.
    /// </summary>
    public static int Execute<T>(Expression<Func<T, Target>> defaultTarget)
        where T : NukeBuild, new()
    {
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var root = FindRoot(Directory.GetCurrentDirectory()) ?? FindRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
        var console = Console.Out;
        using var masking = new MaskingWriter(console);
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.SetOut(TextWriter.Synchronized(masking));
        try
        {
            // The process's entry point: no synchronization context, so this is what an async Main compiles to.
            return ExecuteAsync(new T(), Environment.GetCommandLineArgs()[1..], environment, root, masking, defaultTarget, cancellation.Token)
                .GetAwaiter().GetResult();
        }
        finally
        {
            masking.Flush();
            Console.SetOut(console);
        }
    }

    /// <summary>Runs a new <typeparamref name="T"/> with the given inputs; for tests.</summary>
    public static int Execute<T>(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment,
        string rootDirectory,
        TextWriter output,
        Expression<Func<T, Target>>? defaultTarget = null)
        where T : NukeBuild, new() =>
        Execute(new T(), args, environment, rootDirectory, output, defaultTarget);

    /// <summary>Runs <paramref name="build"/> with the given inputs, so a test can inspect it afterwards.</summary>
    public static int Execute<T>(
        T build,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment,
        string rootDirectory,
        TextWriter output,
        Expression<Func<T, Target>>? defaultTarget = null)
        where T : NukeBuild
    {
        using var masking = new MaskingWriter(output);
        try
        {
            return ExecuteAsync(build, args, environment, rootDirectory, masking, defaultTarget, CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            masking.Flush();
        }
    }

    private static Task<int> ExecuteAsync<T>(
        T build,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment,
        string rootDirectory,
        MaskingWriter output,
        Expression<Func<T, Target>>? defaultTarget,
        CancellationToken cancellationToken)
        where T : NukeBuild
    {
        ArgumentNullException.ThrowIfNull(build);
        var defaultName = (defaultTarget?.Body as MemberExpression)?.Member.Name;
        build.RootDirectory = AbsolutePath.Create(Path.GetFullPath(rootDirectory));
        build.Output = output;
        build.Cancellation = cancellationToken;
        return new BuildSession(build, output, environment).RunAsync(args, defaultName);
    }

    private static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
