using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary>
/// The real build, killed with SIGKILL in the middle of Train, resumes from its last checkpoint
/// on the next <c>Train</c> and, with <c>--deterministic</c>, ends with the weights of a run that
/// was never interrupted. Runs the build this checkout compiled (<c>build/bin/Debug/net10.0/_build.dll</c>,
/// which <c>./build.sh</c> makes) against a small repository of its own.
/// </summary>
[Collection("Sequential")]
public sealed class KilledTrainSpecs : IDisposable
{
    private static readonly string[] WeightFiles = ["model.safetensors", "heads.safetensors"];
    private readonly TinyProject _project = new();

    [Fact(Timeout = 240_000)]
    public async Task A_build_killed_during_Train_resumes_and_ends_with_the_weights_of_an_uninterrupted_run()
    {
        // Arrange: a repository the build recognises (.nuke/), committed
        var build = FindBuild();
        _project.Repository.Write(".nuke/parameters.json", "{}\n");
        _project.Repository.Commit("data, config");
        string[] train = ["Train", "--skip", "Restore", "Compile", "--deterministic", "--epochs", "6"];
        var checkpoints = Path.Combine(_project.Repository.Path, "artifacts", "checkpoints");

        // Act: kill the first run once a checkpoint is complete, run again, then once more from scratch
        var killed = await RunAsync(build, train, killWhen: () => HasCompleteCheckpoint(checkpoints));
        var resumed = await RunAsync(build, train);
        var resumedWeights = WeightHashes();
        var fresh = await RunAsync(build, [.. train, "--force-stage", "Train"]);

        // Assert
        Assert.True(killed.Killed, "the first run finished before it could be killed:\n" + killed.Output);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("Taking over a stale run lock", resumed.Output, StringComparison.Ordinal); // the killed run's lock
        Assert.Contains("Resuming from the checkpoint at step", resumed.Output, StringComparison.Ordinal);
        Assert.True(fresh.ExitCode == 0, fresh.Output);
        Assert.DoesNotContain("Resuming from the checkpoint", fresh.Output, StringComparison.Ordinal);
        Assert.Equal(WeightHashes(), resumedWeights);
    }

    public void Dispose() => _project.Dispose();

    /// <summary>A checkpoint renamed into place (not a <c>*.tmp</c> staging folder) with its trainer state.</summary>
    private static bool HasCompleteCheckpoint(string root) =>
        Directory.Exists(root)
        && Directory.EnumerateDirectories(root, "checkpoint-*", SearchOption.AllDirectories)
            .Any(d => !d.EndsWith(".tmp", StringComparison.Ordinal) && File.Exists(Path.Combine(d, "trainer_state.json")));

    private async Task<(int ExitCode, bool Killed, string Output)> RunAsync(string build, string[] args, Func<bool>? killWhen = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _project.Repository.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(build);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var killed = false;
        var errors = process.StandardError.ReadToEndAsync();
        var lines = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        });

        // Watch the checkpoint folder rather than the log, which reaches us late through the pipe.
        while (killWhen is not null && !process.HasExited)
        {
            if (killWhen())
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no cleanup, no finally blocks
                killed = true;
                break;
            }

            await Task.Delay(5);
        }

        await process.WaitForExitAsync();
        await lines;
        output.Append(await errors);
        return (process.ExitCode, killed, output.ToString());
    }

    private string WeightHashes()
    {
        var model = Path.Combine(_project.Repository.Path, "artifacts", "train", "model");
        return string.Join(",", WeightFiles.Select(file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(model, file))))));
    }

    private static string FindBuild()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "build", "bin", "Debug", "net10.0", "_build.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No build/bin/Debug/net10.0/_build.dll above {AppContext.BaseDirectory}: run ./build.sh once (it compiles the build) before these tests.");
    }
}
