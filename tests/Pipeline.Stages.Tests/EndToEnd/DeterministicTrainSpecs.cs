using System.Security.Cryptography;
using Pipeline.Stages.Tests.Support;
using TorchSharp;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary><c>train.deterministic</c> (<c>--deterministic</c>): the same inputs give bit-identical weights.</summary>
[Collection("Sequential")]
public sealed class DeterministicTrainSpecs : IDisposable
{
    private static readonly string[] WeightFiles = ["model.safetensors", "heads.safetensors"];
    private readonly TinyProject _project = new();
    private readonly int _threads = torch.get_num_threads();

    [Fact]
    public async Task Two_deterministic_Train_runs_on_the_same_inputs_write_bit_identical_weights()
    {
        // Arrange
        _project.Repository.Commit("data, config");
        var settings = _project.Settings with { Overrides = new Dictionary<string, string> { ["train.deterministic"] = "true" } };
        var logger = new ListLogger();
        foreach (var stage in new[] { StageNames.Ingest, StageNames.Clean, StageNames.Format })
        {
            await PipelineStages.RunAsync(stage, settings, logger);
        }

        // Act
        await PipelineStages.RunAsync(StageNames.Train, settings, logger);
        var first = WeightHashes();
        await PipelineStages.RunAsync(StageNames.Train, settings, logger);
        var second = WeightHashes();

        // Assert
        Assert.Contains(logger.Lines, l => l.StartsWith("Deterministic run: the CPU with 1 libtorch thread(s)", StringComparison.Ordinal));
        Assert.Equal(1, torch.get_num_threads());
        Assert.Equal(first, second);
    }

    public void Dispose()
    {
        torch.set_num_threads(_threads);
        _project.Dispose();
    }

    private string WeightHashes()
    {
        var model = Path.Combine(_project.Repository.Path, "artifacts", "train", "model");
        return string.Join(",", WeightFiles.Select(file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(model, file))))));
    }
}
