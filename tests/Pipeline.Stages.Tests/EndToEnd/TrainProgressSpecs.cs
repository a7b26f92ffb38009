using Pipeline.Stages.Tests.Support;
using Pipeline.Training.Training;
using TorchSharp;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary>The Train stage reports every optimizer step to <see cref="StageSettings.TrainingProgress"/>.</summary>
[Collection("Sequential")]
public sealed class TrainProgressSpecs : IDisposable
{
    private readonly TinyProject _project = new();
    private readonly int _threads = torch.get_num_threads();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Train_reports_every_step_to_the_progress_display_and_leaves_its_step_lines_out_only_when_the_display_is_live(bool live)
    {
        // Arrange
        _project.Repository.Commit("data, config");
        var display = new RecordingProgress(live);
        var settings = _project.Settings with { TrainingProgress = display, Overrides = new Dictionary<string, string> { ["train.technique"] = "lora" } };
        var logger = new ListLogger();
        foreach (var stage in new[] { StageNames.Ingest, StageNames.Clean, StageNames.Format })
        {
            await PipelineStages.RunAsync(stage, settings, logger);
        }

        // Act
        await PipelineStages.RunAsync(StageNames.Train, settings, logger);

        // Assert
        Assert.StartsWith("lora on ", display.Title, StringComparison.Ordinal);
        Assert.True(display.Disposed);
        Assert.NotEmpty(display.Reports);
        Assert.Equal(Enumerable.Range(1, display.Reports.Count).Select(i => (long)i), display.Reports.Select(r => r.Step));
        Assert.Equal(display.Reports[^1].TotalSteps, display.Reports[^1].Step);
        var stepLines = logger.Lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal) && l.Contains(" examples/s ETA ", StringComparison.Ordinal));
        Assert.Equal(live, stepLines == 0);
    }

    public void Dispose()
    {
        torch.set_num_threads(_threads);
        _project.Dispose();
    }

    private sealed class RecordingProgress(bool live) : ITrainingProgress, ITrainingProgressSession
    {
        public string Title { get; private set; } = "";

        public List<TrainProgress> Reports { get; } = [];

        public bool Disposed { get; private set; }

        public bool IsLive => live;

        public ITrainingProgressSession Begin(string title)
        {
            Title = title;
            return this;
        }

        public void Report(TrainProgress value) => Reports.Add(value);

        public void Dispose() => Disposed = true;
    }
}
