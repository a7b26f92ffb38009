using Pipeline.Stages.Tests.Support;
using Pipeline.Stages.Training;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary>A Train stopped mid-run (a cancelled CI job, a killed process) resumes from its last checkpoint.</summary>
[Collection("Sequential")]
public sealed class TrainResumeSpecs : IDisposable
{
    private readonly TinyProject _project = new();

    [Fact]
    public async Task A_Train_stopped_after_its_first_epoch_resumes_from_that_checkpoint_and_says_so()
    {
        // Arrange: the data stages, and a logger that stops the run once epoch 1 has validated
        _project.Repository.Commit("data, config");
        var settings = _project.Settings;
        var logger = new ListLogger();
        foreach (var stage in new[] { StageNames.Ingest, StageNames.Clean, StageNames.Format })
        {
            await PipelineStages.RunAsync(stage, settings, logger);
        }

        using var kill = new CancellationTokenSource();
        var killer = new ListLogger(line =>
        {
            if (line.StartsWith("epoch 1 step", StringComparison.Ordinal) && line.Contains(": validation", StringComparison.Ordinal))
            {
                kill.Cancel();
            }
        });

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PipelineStages.RunAsync(StageNames.Train, settings, killer, kill.Token));
        await PipelineStages.RunAsync(StageNames.Train, settings, logger);

        // Assert: it resumed after epoch 1, finished, and removed the checkpoints it no longer needs
        Assert.Contains(logger.Lines, l => l.StartsWith("Resuming: checkpoints of an interrupted run with the same inputs", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.StartsWith("Resuming from the checkpoint at step", StringComparison.Ordinal));
        var artifacts = Path.Combine(_project.Repository.Path, "artifacts");
        var facts = TrainFacts.TryRead(Path.Combine(artifacts, "train", "facts.json"));
        Assert.NotNull(facts);
        Assert.True(facts.ResumedFromStep > 0, $"resumed from step {facts.ResumedFromStep}");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(artifacts, "checkpoints")));
        Assert.True(File.Exists(Path.Combine(artifacts, "train", "model", "model.safetensors")));
    }

    public void Dispose() => _project.Dispose();
}
