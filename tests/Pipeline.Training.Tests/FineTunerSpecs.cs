using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Lora;
using Pipeline.Training.Training;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class FineTunerSpecs : IDisposable
{
    private readonly string _root = TinyBert.TempFolder();

    [Fact]
    public void LP_FT_probes_then_fine_tunes_with_LoRA_and_writes_a_merged_model_an_adapter_and_heads()
    {
        // Arrange: a one-epoch probe that the fine-tuned phase beats
        var request = Request("lpft") with
        {
            Technique = FineTuneTechnique.LpFt,
            ProbeOptions = new LinearProbeOptions { Epochs = 2, EvalEveryEpochs = 1, LearningRate = 5e-2 },
        };

        // Act
        var result = FineTuner.Run(request, NullLogger.Instance);

        // Assert
        Assert.NotNull(result.ProbeMacroF1);
        Assert.NotNull(result.Training);
        Assert.False(result.KeptProbe, $"probe {result.ProbeMacroF1}, fine-tuned {result.Training!.BestMacroF1}");
        Assert.True(result.Training!.BestMacroF1 > result.ProbeMacroF1, $"fine-tuned macro-F1 {result.Training.BestMacroF1} (probe {result.ProbeMacroF1})");
        Assert.True(result.TrainableParameters < result.TotalParameters / 5);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "heads.safetensors", "tasks.json", "adapter/adapter_model.safetensors", "adapter/adapter_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(request.OutputFolder, file)), $"{file} missing");
        }

        using var reloaded = ClassifierFolder.Load(request.OutputFolder);
        var metrics = new Trainer(request.TrainOptions, NullLogger.Instance).Validate(reloaded, request.Validation);
        Assert.Equal(result.Training.BestMacroF1, metrics.MacroF1, 6);
    }

    [Fact]
    public void LP_FT_keeps_the_probe_when_fine_tuning_does_not_beat_it_on_validation()
    {
        // Arrange: a good probe, then a fine-tuning phase whose learning rates wreck it
        var request = Request("kept") with
        {
            Technique = FineTuneTechnique.LpFt,
            TrainOptions = new TrainOptions { Epochs = 1, BatchSize = 8, LearningRate = 1, HeadLearningRate = 1, WarmupRatio = 0, CheckpointEverySteps = 0, EarlyStoppingPatience = 0 },
        };

        // Act
        var result = FineTuner.Run(request, NullLogger.Instance);

        // Assert: the written model is the probe, and no adapter claims otherwise
        Assert.True(result.KeptProbe, $"probe {result.ProbeMacroF1}, fine-tuned {result.Training!.BestMacroF1}");
        Assert.True(result.Training!.BestMacroF1 < result.ProbeMacroF1);
        Assert.False(Directory.Exists(Path.Combine(request.OutputFolder, FineTuner.AdapterFolder)));
        using var reloaded = ClassifierFolder.Load(request.OutputFolder);
        var metrics = new Trainer(request.TrainOptions, NullLogger.Instance).Validate(reloaded, request.Validation);
        Assert.Equal(result.ProbeMacroF1!.Value, metrics.MacroF1, 6);
    }

    [Fact]
    public void A_warm_start_continues_from_an_earlier_result_instead_of_fresh_heads()
    {
        // Arrange
        var first = FineTuner.Run(Request("first") with { Technique = FineTuneTechnique.Head }, NullLogger.Instance);
        var warm = Request("warm") with
        {
            Technique = FineTuneTechnique.Head,
            WarmStartFolder = first.OutputFolder,
            ProbeOptions = new LinearProbeOptions { Epochs = 1, EvalEveryEpochs = 1, LearningRate = 1e-6 },
        };

        // Act
        var second = FineTuner.Run(warm, NullLogger.Instance);

        // Assert: one near-zero step from the earlier heads keeps their score; fresh heads could not reach it
        Assert.True(first.ProbeMacroF1 > 0.8, $"first probe {first.ProbeMacroF1}");
        Assert.Equal(first.ProbeMacroF1!.Value, second.ProbeMacroF1!.Value, 3);
    }

    [Fact]
    public void A_warm_start_from_a_model_logged_on_a_base_reference_continues_on_that_base_and_refuses_another_one()
    {
        // Arrange: the first result logged as Register does (no encoder weights, a base_model.json)
        var first = FineTuner.Run(Request("first") with { Technique = FineTuneTechnique.Head }, NullLogger.Instance);
        var logged = Path.Combine(_root, "logged");
        Directory.CreateDirectory(logged);
        foreach (var file in Directory.GetFiles(first.OutputFolder).Where(f => Path.GetFileName(f) != HuggingFaceFolder.WeightsFile))
        {
            File.Copy(file, Path.Combine(logged, Path.GetFileName(file)));
        }

        var baseFolder = Request("x").ModelBase;
        BaseModelReference.Describe(baseFolder, baseFolder).Write(logged);
        var other = Path.Combine(_root, "other-base");
        using (var encoder = TinyBert.Create(seed: 41))
        {
            HuggingFaceFolder.Save(encoder, other, Path.Combine(baseFolder, HuggingFaceFolder.VocabFile));
        }

        var probe = new LinearProbeOptions { Epochs = 1, EvalEveryEpochs = 1, LearningRate = 1e-6 };

        // Act
        var second = FineTuner.Run(Request("warm") with { Technique = FineTuneTechnique.Head, WarmStartFolder = logged, ProbeOptions = probe }, NullLogger.Instance);
        var refused = Assert.Throws<Models.ModelLoadException>(() =>
            FineTuner.Run(Request("refused") with { ModelBase = other, Technique = FineTuneTechnique.Head, WarmStartFolder = logged, ProbeOptions = probe }, NullLogger.Instance));

        // Assert: the heads continue on the referenced base; another base is refused, naming the expected one
        Assert.Equal(first.ProbeMacroF1!.Value, second.ProbeMacroF1!.Value, 3);
        Assert.Contains($"The base model '{baseFolder}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(BaseModelReference.WeightsSha256(baseFolder), refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private FineTuneRequest Request(string name)
    {
        var baseFolder = Path.Combine(_root, "base");
        if (!Directory.Exists(baseFolder))
        {
            var vocab = Path.Combine(_root, "vocab.txt");
            File.WriteAllLines(vocab, Enumerable.Range(0, TinyBert.Config.VocabSize).Select(i => $"tok{i}"));
            using var encoder = TinyBert.Create(seed: 40);
            HuggingFaceFolder.Save(encoder, baseFolder, vocab);
        }

        var random = new Random(9);
        List<TrainingExample> Make(int count) => Enumerable.Range(0, count).Select(_ =>
        {
            var label = random.Next(3);
            var ids = new List<long> { 2 };
            ids.AddRange(Enumerable.Range(0, random.Next(3, 12)).Select(_ => (long)random.Next(10 + (10 * label), 22 + (10 * label))));
            ids.Add(3);
            return new TrainingExample(ids, new Dictionary<string, int[]> { ["intent"] = [label] });
        }).ToList();

        return new FineTuneRequest
        {
            ModelBase = baseFolder,
            Tasks = [new TaskHeadSpec("intent", TaskKind.SingleLabel, 3) { LabelNames = ["a", "b", "c"] }],
            Train = Make(48),
            Validation = Make(24),
            OutputFolder = Path.Combine(_root, name, "model"),
            CheckpointFolder = Path.Combine(_root, name, "checkpoints"),
            TrainOptions = new TrainOptions { Epochs = 3, BatchSize = 8, LearningRate = 1e-2, CheckpointEverySteps = 0, EarlyStoppingPatience = 0 },
            ProbeOptions = new LinearProbeOptions { Epochs = 40, BatchSize = 16, LearningRate = 5e-2 },
            LoraOptions = new LoraOptions { Rank = 4, TargetModules = ["query", "value"] },
        };
    }
}
