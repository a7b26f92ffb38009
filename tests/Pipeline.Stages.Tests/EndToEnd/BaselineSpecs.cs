using Pipeline.Evaluation.Gating;
using Pipeline.Stages.Evaluate;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary><c>--baseline DIR</c>: Evaluate compares with a model folder instead of the registry's champion.</summary>
[Collection("Sequential")]
public sealed class BaselineSpecs : IDisposable
{
    private readonly TinyProject _project = new();
    private readonly TempFolder _baseline = new();

    [Fact]
    public async Task Evaluate_compares_the_challenger_with_a_baseline_folder_and_the_same_model_is_no_significant_improvement()
    {
        // Arrange: train once and keep that model as the baseline
        _project.Repository.Commit("data, config");
        var logger = new ListLogger();
        foreach (var stage in new[] { StageNames.Ingest, StageNames.Clean, StageNames.Format, StageNames.Train })
        {
            await PipelineStages.RunAsync(stage, _project.Settings, logger);
        }

        var model = Path.Combine(_project.Repository.Path, "artifacts", "train", "model");
        foreach (var file in Directory.EnumerateFiles(model, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_baseline.Path, Path.GetRelativePath(model, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // Act
        await PipelineStages.RunAsync(StageNames.Evaluate, _project.Settings with { BaselineDirectory = _baseline.Path }, logger);

        // Assert
        var gate = GateFile.Read(Path.Combine(_project.Repository.Path, "artifacts", "evaluate", "gate.json"));
        Assert.Equal(GateVerdict.PassAsChallenger, gate.Verdict);
        Assert.StartsWith("baseline (", gate.ComparedWith, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_project.Repository.Path, "artifacts", "evaluate", "champion-test-predictions.json")));
        Assert.True(gate.TestMetrics["test.macro_f1"] > 0.5, $"test macro-F1 {gate.TestMetrics["test.macro_f1"]}");
    }

    public void Dispose()
    {
        _project.Dispose();
        _baseline.Dispose();
    }
}
