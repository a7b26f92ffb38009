using System.Globalization;
using System.Xml.Linq;
using Pipeline.Build;

/// <content>The .NET targets: restore, compile and test the solution.</content>
internal sealed partial class Build
{
    /// <summary>Restores the solution's packages.</summary>
    internal Target Restore => _ => _
        .Description("Restores NuGet packages for Pipeline.sln")
        .Executes(() => DotNetTasks.DotNetAsync(["restore", Solution, "-nologo"], RootDirectory, cancellationToken: Cancellation));

    /// <summary>Builds the solution (the build project itself is not in the solution's build).</summary>
    internal Target Compile => _ => _
        .Description("Builds Pipeline.sln")
        .DependsOn(Restore)
        .Executes(() => DotNetTasks.DotNetAsync(
            ["build", Solution, "--no-restore", "-nologo", "-c", Configuration.ToString()], RootDirectory, cancellationToken: Cancellation));

    /// <summary>Runs every test project and prints <c>N passed, N failed, N skipped</c> from the TRX files.</summary>
    internal Target Test => _ => _
        .Description("Runs the tests and prints 'N passed, N failed, N skipped'")
        .DependsOn(Compile)
        .Executes(async () =>
        {
            if (Directory.Exists(TestResultsDirectory))
            {
                Directory.Delete(TestResultsDirectory, recursive: true);
            }

            // One dotnet test per test project, each writing <Project>.trx: TRX files named by
            // timestamp can collide when two projects finish in the same second.
            ProcessException? failure = null;
            foreach (var project in TestProjects)
            {
                try
                {
                    await DotNetTasks.DotNetAsync(
                        ["test", project, "--no-build", "-nologo", "-c", Configuration.ToString(),
                         "--logger", $"trx;LogFileName={Path.GetFileNameWithoutExtension(project)}.trx", "--results-directory", TestResultsDirectory],
                        RootDirectory,
                        cancellationToken: Cancellation).ConfigureAwait(false);
                }
                catch (ProcessException exception)
                {
                    failure ??= exception;
                }
            }

            var (passed, failed, skipped) = CountTestResults();
            Output.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
            if (failure is not null || failed > 0)
            {
                throw new ProcessException($"{failed} test(s) failed (dotnet test exit code {failure?.ExitCode ?? 0}); see the TRX files in {TestResultsDirectory}.");
            }

            if (passed + failed == 0)
            {
                throw new ProcessException($"No test ran: no TRX file in {TestResultsDirectory} counted an executed test.");
            }
        });

    /// <summary>The test projects: every <c>tests/*/*.Tests.csproj</c>, in name order.</summary>
    private IEnumerable<string> TestProjects =>
        Directory.EnumerateFiles(RootDirectory / "tests", "*.Tests.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>Sums the <c>Counters</c> of every TRX file under the test-results folder.</summary>
    private (int Passed, int Failed, int Skipped) CountTestResults()
    {
        int passed = 0, failed = 0, skipped = 0;
        if (!Directory.Exists(TestResultsDirectory))
        {
            return (0, 0, 0);
        }

        foreach (var file in Directory.EnumerateFiles(TestResultsDirectory, "*.trx", SearchOption.AllDirectories))
        {
            var counters = XDocument.Load(file).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
            if (counters is null)
            {
                continue;
            }

            int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0", CultureInfo.InvariantCulture);
            passed += Count("passed");
            failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
            // xunit's skipped tests are in total but not in executed.
            skipped += Count("total") - Count("executed") + Count("notExecuted");
        }

        return (passed, failed, skipped);
    }
}
