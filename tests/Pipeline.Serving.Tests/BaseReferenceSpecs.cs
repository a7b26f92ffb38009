using Pipeline.Registry;
using Pipeline.Serving.Models;
using Pipeline.Serving.TorchSharp;
using Pipeline.Training.Loading;

namespace Pipeline.Serving.Tests;

/// <summary>
/// Versions logged the way Register logs LoRA and linear-probe models: heads (and an adapter) plus
/// <c>base_model.json</c>, without the base's weights and without an ONNX export. The service
/// rebuilds them on the base, or refuses them naming the base it lacks.
/// </summary>
[Collection("Sequential")]
public sealed class BaseReferenceSpecs : IDisposable
{
    private readonly string _root;
    private readonly LocalRegistry _registry;

    public BaseReferenceSpecs()
    {
        _root = Path.Combine(Path.GetTempPath(), "serving-base-" + Guid.NewGuid().ToString("N"));
        _registry = new LocalRegistry(Path.Combine(_root, "mlruns"));
    }

    public void Dispose()
    {
        _registry.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task I_can_serve_a_version_logged_without_its_base_weights_and_get_the_full_folders_scores()
    {
        // Arrange: the trained folder, its encoder saved apart as the base, and the logged folder without model.safetensors
        var (full, _, reference) = await RegisterReferencingVersionAsync();
        using var expected = new TorchSharpModelLoader(new TorchSharpModelOptions()).Load(full, ModelSource.DescribeFolder(full));
        var source = ModelSource.Default(new RegistryModelResolver(_registry, Path.Combine(_root, "cache")));

        // Act
        using var served = await source.LoadAsync(ModelReference.Parse("models:/tiny-intent/1"), CancellationToken.None);
        var actual = served.Predict(["refund my card please"]);
        var wanted = expected.Predict(["refund my card please"]);

        // Assert
        Assert.False(File.Exists(Path.Combine(_root, "cache", "tiny-intent", "1", HuggingFaceFolder.WeightsFile)));
        Assert.Equal(reference.Sha256, BaseModelReference.TryRead(Path.Combine(_root, "cache", "tiny-intent", "1"))!.Sha256);
        Assert.All(wanted[0].Heads[0].Scores.Zip(actual[0].Heads[0].Scores), p => Assert.Equal(p.First, p.Second, 1e-5));
    }

    [Fact]
    public async Task I_get_an_error_naming_the_expected_base_when_this_machine_lacks_it()
    {
        // Arrange
        var (_, baseFolder, reference) = await RegisterReferencingVersionAsync();
        Directory.Delete(baseFolder, recursive: true);
        var resolver = new RegistryModelResolver(_registry, Path.Combine(_root, "cache"));
        var source = ModelSource.Default(resolver);

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() => source.LoadAsync(ModelReference.Parse("models:/tiny-intent/1"), CancellationToken.None));

        // Assert
        Assert.Contains("Version 1 of 'tiny-intent' was logged as an adapter on its base model", error.Message, StringComparison.Ordinal);
        Assert.Contains($"The base model '{baseFolder}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reference.Sha256, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Registers version 1 of tiny-intent as heads + base_model.json; returns the full folder, the base folder and the reference.</summary>
    private async Task<(string Full, string Base, BaseModelReference Reference)> RegisterReferencingVersionAsync()
    {
        var full = TinyClassifier.Write(Path.Combine(_root, "trained"));
        var baseFolder = Path.Combine(_root, "base");
        var logged = Path.Combine(_root, "logged");
        Directory.CreateDirectory(baseFolder);
        Directory.CreateDirectory(logged);
        foreach (var file in Directory.GetFiles(full))
        {
            var name = Path.GetFileName(file);
            if (name is HuggingFaceFolder.ConfigFile or HuggingFaceFolder.WeightsFile or HuggingFaceFolder.VocabFile)
            {
                File.Copy(file, Path.Combine(baseFolder, name));
            }

            if (name != HuggingFaceFolder.WeightsFile)
            {
                File.Copy(file, Path.Combine(logged, name));
            }
        }

        var reference = BaseModelReference.Describe(baseFolder, baseFolder);
        reference.Write(logged);
        var experiment = await _registry.GetOrCreateExperimentAsync("serving");
        var run = await _registry.CreateRunAsync(experiment.ExperimentId, "train-1", new Dictionary<string, string>());
        var source = await LoggedModel.LogAsync(_registry, logged, new LoggedModelInfo { RunId = run.Info.RunId });
        await _registry.RegisterModelVersionAsync("tiny-intent", source, run.Info.RunId);
        return (full, baseFolder, reference);
    }
}
