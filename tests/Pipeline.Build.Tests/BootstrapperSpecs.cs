using System.Diagnostics;

namespace Pipeline.Build.Tests;

/// <summary>Runs the real <c>./build.sh</c> at the repository root (slow: it builds the build project).</summary>
public class BootstrapperSpecs
{
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "build.sh")) && Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No build.sh with a .nuke folder above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int ExitCode, string Output)> RunBuildScriptAsync(params string[] args)
    {
        var startInfo = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("./build.sh");
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task I_can_run_build_sh_plan_Train_and_see_the_stage_chain_in_order()
    {
        // Act
        var (exitCode, output) = await RunBuildScriptAsync("--plan", "Train");

        // Assert
        Assert.True(exitCode == 0, output);
        Assert.Equal(["Restore", "Compile", "Ingest", "Clean", "Format", "ChampionCheck", "Train"], BuildHarness.PlanOrder(output));
        Assert.Contains("Nothing was run", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_mistype_a_target_for_build_sh_and_get_exit_code_2_suggesting_Train()
    {
        // Act
        var (exitCode, output) = await RunBuildScriptAsync("Trian");

        // Assert
        Assert.True(exitCode == 2, output);
        Assert.Contains("Did you mean 'Train'?", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_committed_build_schema_matches_the_declared_parameters()
    {
        // Arrange
        var schema = Path.Combine(RepositoryRoot(), ".nuke", "build.schema.json");
        var committed = await File.ReadAllTextAsync(schema);

        // Act: every run regenerates the schema from the parameters
        var (exitCode, output) = await RunBuildScriptAsync("--help");

        // Assert
        Assert.True(exitCode == 0, output);
        Assert.True(
            committed == await File.ReadAllTextAsync(schema),
            ".nuke/build.schema.json is stale: a parameter changed. Run ./build.sh --help and commit the regenerated file.");
    }
}
