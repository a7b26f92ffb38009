using Pipeline.Registry.Tests.Fakes;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Registry.Tests;

public sealed class LoggedModelSpecs : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> ModelFolderAsync()
    {
        var folder = _temp.Combine("model");
        await TestClients.WriteFileAsync(Path.Combine(folder, "data", "adapter.safetensors"), 4096, 1);
        await File.WriteAllTextAsync(Path.Combine(folder, "label_map.json"), "{\"0\":\"greet\"}");
        await LoggedModel.WriteAsync(folder, new LoggedModelInfo
        {
            RunId = "0123456789abcdef0123456789abcdef",
            FlavorConfig = new Dictionary<string, string> { ["format"] = "safetensors", ["data"] = "data/" },
            Metadata = new Dictionary<string, string> { ["git_commit"] = "abc123", ["flag"] = "yes", ["octal_looking"] = "0123" },
        });
        return folder;
    }

    [Fact]
    public async Task I_can_write_an_MLmodel_file_with_our_flavor_and_the_fields_MLflow_reads()
    {
        // Arrange
        var folder = await ModelFolderAsync();

        // Act
        var yaml = new YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(folder, "MLmodel"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

        // Assert
        Assert.Equal("model", Scalar(root, "artifact_path"));
        Assert.Equal("0123456789abcdef0123456789abcdef", Scalar(root, "run_id"));
        Assert.Matches("^[0-9a-f]{32}$", Scalar(root, "model_uuid"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$", Scalar(root, "utc_time_created"));
        Assert.Equal("safetensors", Scalar(root["flavors"][LoggedModel.FlavorName], "format"));
        Assert.Equal("abc123", Scalar(root["metadata"], "git_commit"));
        Assert.False(string.IsNullOrEmpty(Scalar(root, "mlflow_version")));
        Assert.Equal("4109", Scalar(root, "model_size_bytes")); // 4096 + 13 bytes of label map
        var metadata = (YamlMappingNode)root["metadata"];
        Assert.All(["flag", "octal_looking"], key => Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, ((YamlScalarNode)metadata[key]).Style));
        Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, ((YamlScalarNode)root["utc_time_created"]).Style);
    }

    [Fact]
    public async Task I_can_verify_an_untouched_model_and_list_every_file_in_the_checksums()
    {
        // Arrange
        var folder = await ModelFolderAsync();

        // Act
        await LoggedModel.VerifyAsync(folder);
        var listed = (await File.ReadAllLinesAsync(Path.Combine(folder, LoggedModel.ChecksumsFileName))).Select(l => l[66..]);

        // Assert
        Assert.Equal(["MLmodel", "data/adapter.safetensors", "label_map.json"], listed);
    }

    [Fact]
    public async Task I_get_an_error_naming_the_file_when_a_model_file_was_changed()
    {
        // Arrange
        var folder = await ModelFolderAsync();
        await using (var stream = File.OpenWrite(Path.Combine(folder, "data", "adapter.safetensors")))
        {
            stream.WriteByte(0xFF);
        }

        // Act
        var error = await Assert.ThrowsAsync<ModelChecksumException>(() => LoggedModel.VerifyAsync(folder));

        // Assert
        Assert.Equal("data/adapter.safetensors", error.FileName);
        Assert.Contains("data/adapter.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("Download the model again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_an_error_for_a_missing_or_an_unlisted_file()
    {
        // Arrange
        var missing = await ModelFolderAsync();
        File.Delete(Path.Combine(missing, "label_map.json"));

        // Act
        var missingError = await Assert.ThrowsAsync<ModelChecksumException>(() => LoggedModel.VerifyAsync(missing));
        File.WriteAllText(Path.Combine(missing, "label_map.json"), "{\"0\":\"greet\"}");
        File.WriteAllText(Path.Combine(missing, "extra.txt"), "x");
        var extraError = await Assert.ThrowsAsync<ModelChecksumException>(() => LoggedModel.VerifyAsync(missing));

        // Assert
        Assert.Equal("label_map.json", missingError.FileName);
        Assert.Equal("extra.txt", extraError.FileName);
    }

    [Fact]
    public async Task I_get_a_checksum_error_when_a_downloaded_model_was_corrupted_in_the_store()
    {
        // Arrange
        using var registry = new LocalRegistry(_temp.Combine("mlruns"));
        var experiment = await registry.GetOrCreateExperimentAsync("e");
        var run = await registry.CreateRunAsync(experiment.ExperimentId);
        await registry.LogArtifactsAsync(run.Info.RunId, await ModelFolderAsync(), "model");
        var stored = Path.Combine(registry.RunArtifactDirectory(experiment.ExperimentId, run.Info.RunId), "model", "label_map.json");
        await File.WriteAllTextAsync(stored, "{\"0\":\"tampered\"}");

        // Act
        var error = await Assert.ThrowsAsync<ModelChecksumException>(() => LoggedModel.DownloadAsync(registry, run.Info.RunId, "model", _temp.Combine("out")));

        // Assert
        Assert.Equal("label_map.json", error.FileName);
    }

    [Fact]
    public async Task I_can_log_a_model_folder_to_a_run_and_register_it_from_the_returned_source()
    {
        // Arrange
        using var registry = new LocalRegistry(_temp.Combine("mlruns"));
        var experiment = await registry.GetOrCreateExperimentAsync("e");
        var run = await registry.CreateRunAsync(experiment.ExperimentId);
        var folder = _temp.Combine("to-log");
        await TestClients.WriteFileAsync(Path.Combine(folder, "data", "adapter.safetensors"), 1000, 2);

        // Act
        var source = await LoggedModel.LogAsync(registry, folder, new LoggedModelInfo { RunId = run.Info.RunId });
        await LoggedModel.LogAsync(registry, folder, new LoggedModelInfo { RunId = run.Info.RunId, ArtifactPath = "model-merged" });
        var version = await registry.RegisterModelVersionAsync("m", source, run.Info.RunId);
        var history = System.Text.Json.JsonDocument.Parse((await registry.GetRunAsync(run.Info.RunId)).Data.TagMap[LoggedModel.HistoryTag]).RootElement;

        // Assert
        Assert.Equal($"runs:/{run.Info.RunId}/model", source);
        Assert.Equal(source, version.Source);
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("model", history[0].GetProperty("artifact_path").GetString());
        Assert.True(history[1].GetProperty("flavors").TryGetProperty(LoggedModel.FlavorName, out _));
        await LoggedModel.DownloadAsync(registry, run.Info.RunId, "model", _temp.Combine("back"));
    }
}
