using Microsoft.Extensions.Logging;
using Pipeline.Stages.Incremental;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Incremental;

/// <summary>A stage whose inputs only I/O can tell (Evaluate's champion) declares them asynchronously.</summary>
public sealed class AsyncDeclarationSpecs : IDisposable
{
    private readonly TempFolder _repo = new();
    private readonly ListLogger _log = new();

    [Fact]
    public async Task I_can_declare_inputs_asynchronously_and_the_stage_is_skipped_until_the_awaited_value_changes()
    {
        // Arrange
        var settings = new StageSettings { RepositoryRoot = _repo.Path };
        var stage = new ChampionDependentStage { Champion = "v1" };
        await new IncrementalRunner(settings).RunAsync(stage, _log);

        // Act
        var unchanged = await new IncrementalRunner(settings).RunAsync(stage, _log);
        stage.Champion = "v2";
        var changed = await new IncrementalRunner(settings).RunAsync(stage, _log);

        // Assert
        Assert.True(unchanged.Skipped, unchanged.Reason);
        Assert.False(changed.Skipped);
        Assert.Equal("inputs changed: value:champion", changed.Reason);
        Assert.Equal(2, stage.Runs);
    }

    public void Dispose() => _repo.Dispose();

    private sealed class ChampionDependentStage : IAsyncIncrementalStage
    {
        public string Name => StageNames.Evaluate;

        public string Champion { get; set; } = "";

        public int Runs { get; private set; }

        public async Task<StageDeclaration> DeclareInputsAndOutputsAsync(StageSettings settings, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return new StageDeclaration { Inputs = [StageInput.Value("champion", Champion)], Outputs = ["evaluate"] };
        }

        public async Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
        {
            Runs++;
            var folder = Path.Combine(settings.ResolvedArtifactsDirectory, "evaluate");
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "gate.json"), "{\"against\":\"" + Champion + "\"}", cancellationToken);
        }
    }
}
