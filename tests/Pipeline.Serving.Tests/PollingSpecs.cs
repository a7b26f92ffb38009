using System.Text.Json;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

public sealed class PollingSpecs
{
    [Fact]
    public async Task I_can_move_the_alias_and_see_the_poller_serve_the_new_version_and_free_the_old_one()
    {
        // Arrange
        var root = Path.Combine(Path.GetTempPath(), "serving-poll-" + Guid.NewGuid().ToString("N"));
        var registry = new InMemoryRegistry();
        registry.Register("1", TinyOnnxModel.Write(Path.Combine(root, "v1"), "1"));
        registry.Register("2", TinyOnnxModel.Write(Path.Combine(root, "v2"), "2"));
        registry.SetAlias("1");
        var options = new ServingOptions { Model = "models:/tiny-intent@champion", PollInterval = TimeSpan.FromMilliseconds(100) };
        await using var service = await RunningService.StartAsync(options, ModelSource.Onnx(registry));

        // Act
        registry.SetAlias("2");
        string? version = null;
        for (var i = 0; i < 300 && version != "2"; i++)
        {
            await Task.Delay(50);
            version = JsonDocument.Parse(await service.Client.GetStringAsync("/v1/model")).RootElement.GetProperty("version").GetString();
        }

        // Assert
        Assert.Equal("2", version);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task I_can_replace_a_served_local_folder_and_see_the_poller_serve_the_new_files()
    {
        // Arrange
        var root = Path.Combine(Path.GetTempPath(), "serving-pollfolder-" + Guid.NewGuid().ToString("N"));
        var folder = TinyOnnxModel.Write(Path.Combine(root, "current"), "1");
        var options = new ServingOptions { Model = folder, PollInterval = TimeSpan.FromMilliseconds(100) };
        await using var service = await RunningService.StartAsync(options, ModelSource.Onnx());

        // Act
        TinyOnnxModel.Write(folder, "2");
        string? version = null;
        for (var i = 0; i < 300 && version != "2"; i++)
        {
            await Task.Delay(50);
            version = JsonDocument.Parse(await service.Client.GetStringAsync("/v1/model")).RootElement.GetProperty("version").GetString();
        }

        // Assert
        Assert.Equal("2", version);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task I_can_have_a_retired_model_disposed_only_after_its_in_flight_batch_finishes()
    {
        // Arrange: version 1 blocks inside a batch until released.
        using var gate = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        var calls = 0;
        var old = new ScriptedModel("1", texts =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                entered.Release();
                gate.Wait(TimeSpan.FromSeconds(30));
            }

            return ScriptedModel.Answer(texts);
        });
        var replacement = new ScriptedModel("2");
        var source = new SwitchingSource(old);
        var options = new ServingOptions { Model = "models:/scripted@champion", PollInterval = TimeSpan.FromMilliseconds(100) };
        await using var service = await RunningService.StartAsync(options, source);
        var inFlight = service.Client.PostAsync("/v1/predict", new StringContent("{\"inputs\": [\"x\"]}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20)));

        // Act: the poller swaps to version 2 while version 1 is still inside its batch.
        source.Model = replacement;
        while (JsonDocument.Parse(await service.Client.GetStringAsync("/v1/model")).RootElement.GetProperty("version").GetString() != "2")
        {
            await Task.Delay(20);
        }

        var disposedDuringBatch = old.IsDisposed;
        gate.Set();
        var response = await inFlight;

        // Assert
        Assert.False(disposedDuringBatch);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("model").GetProperty("version").GetString());
        Assert.True(old.IsDisposed);
        Assert.False(replacement.IsDisposed);
    }

    private sealed class SwitchingSource(IServingModel initial) : IModelSource
    {
        public IServingModel Model { get; set; } = initial;

        public Task<string> ResolveVersionAsync(ModelReference reference, CancellationToken cancellationToken) => Task.FromResult(Model.Descriptor.Version);

        public Task<IServingModel> LoadAsync(ModelReference reference, CancellationToken cancellationToken) => Task.FromResult(Model);
    }
}
