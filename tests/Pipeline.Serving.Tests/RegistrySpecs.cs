using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Registry;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

/// <summary>The service over the pipeline's real local registry (SQLite + artifact folders under a temp mlruns).</summary>
public sealed class RegistrySpecs : IDisposable
{
    private readonly string _root;
    private readonly LocalRegistry _registry;

    public RegistrySpecs()
    {
        _root = Path.Combine(Path.GetTempPath(), "serving-registry-" + Guid.NewGuid().ToString("N"));
        _registry = new LocalRegistry(Path.Combine(_root, "mlruns"));
    }

    public void Dispose()
    {
        _registry.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task I_can_serve_the_champion_from_the_registry_and_follow_the_alias_to_a_new_version()
    {
        // Arrange
        await RegisterAsync("1", "aaa111", champion: true);
        await RegisterAsync("2", "bbb222", champion: false);
        var resolver = new RegistryModelResolver(_registry, Path.Combine(_root, "cache"));
        var variable = "PIPELINE_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "t0ken");
        var options = new ServingOptions { Model = "models:/tiny-intent@champion", PollInterval = TimeSpan.Zero, AdminTokenVariable = variable };
        await using var service = await RunningService.StartAsync(options, ModelSource.Onnx(resolver));

        // Act
        var before = JsonDocument.Parse(await service.Client.GetStringAsync("/v1/model")).RootElement;
        await _registry.SetRegisteredModelAliasAsync("tiny-intent", "champion", 2);
        using var reload = new HttpRequestMessage(HttpMethod.Post, "/admin/reload");
        reload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t0ken");
        var reloaded = await service.Client.SendAsync(reload);
        var predict = await service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "refund" } });
        Environment.SetEnvironmentVariable(variable, null);

        // Assert
        Assert.Equal("1", before.GetProperty("version").GetString());
        Assert.Equal("champion", before.GetProperty("alias").GetString());
        Assert.Equal("aaa111", before.GetProperty("commit").GetString());
        Assert.Equal(0.875, before.GetProperty("metrics").GetProperty("test.macro_f1").GetDouble());
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        var answer = JsonDocument.Parse(await predict.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("2", answer.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("billing", answer.GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.True(File.Exists(Path.Combine(_root, "cache", "tiny-intent", "2", "model.onnx")));
    }

    [Fact]
    public async Task I_get_a_refused_version_when_its_files_do_not_match_the_logged_checksums()
    {
        // Arrange: version 2's artifact is changed after logging.
        await RegisterAsync("1", "aaa111", champion: true);
        var run2 = await RegisterAsync("2", "bbb222", champion: false);
        var logged = Directory.GetFiles(Path.Combine(_root, "mlruns"), "vocab.txt", SearchOption.AllDirectories).Single(f => f.Contains(run2, StringComparison.Ordinal));
        await File.AppendAllTextAsync(logged, "tampered\n");
        var source = ModelSource.Onnx(new RegistryModelResolver(_registry, Path.Combine(_root, "cache")));
        var reference = ModelReference.Parse("models:/tiny-intent/2");

        // Act
        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.LoadAsync(reference, CancellationToken.None));

        // Assert
        Assert.IsType<ModelChecksumException>(error);
        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "cache", "tiny-intent", "2")));
    }

    [Fact]
    public async Task I_get_an_error_saying_how_to_promote_when_the_alias_is_not_set()
    {
        // Arrange
        await RegisterAsync("1", "aaa111", champion: false);
        var resolver = new RegistryModelResolver(_registry, Path.Combine(_root, "cache"));

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() => resolver.ResolveAsync(ModelReference.Parse("models:/tiny-intent@champion"), CancellationToken.None));

        // Assert
        Assert.Contains("no version of 'tiny-intent' has the alias 'champion'", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> RegisterAsync(string version, string commit, bool champion)
    {
        var folder = TinyOnnxModel.Write(Path.Combine(_root, "trained", version), version);
        var experiment = await _registry.GetOrCreateExperimentAsync("serving");
        var run = await _registry.CreateRunAsync(experiment.ExperimentId, "train-" + version, new Dictionary<string, string> { [RegistryModelResolver.CommitTag] = commit });
        await _registry.LogBatchAsync(run.Info.RunId, [new Metric("test.macro_f1", 0.875, 1_000, 0)]);
        var source = await LoggedModel.LogAsync(_registry, folder, new LoggedModelInfo { RunId = run.Info.RunId });
        var registered = await _registry.RegisterModelVersionAsync("tiny-intent", source, run.Info.RunId);
        Assert.Equal(version, registered.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (champion)
        {
            await _registry.SetRegisteredModelAliasAsync("tiny-intent", "champion", registered.Version);
        }

        return run.Info.RunId;
    }
}
