using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

public sealed class OnnxModelSpecs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "serving-onnx-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task I_can_load_an_onnx_folder_with_a_crlf_vocabulary_and_get_the_expected_labels()
    {
        // Arrange
        var folder = TinyOnnxModel.Write(Path.Combine(_root, "m"), "7");
        var source = ModelSource.Onnx();

        // Act
        using var model = await source.LoadAsync(ModelReference.Parse(folder), CancellationToken.None);
        var predictions = model.Predict(["I want a REFUND", "my password is locked", "charge"]);

        // Assert
        Assert.Equal("tiny-intent", model.Descriptor.Name);
        Assert.Equal("7", model.Descriptor.Version);
        Assert.Equal("c0ffee7", model.Descriptor.Commit);
        Assert.Equal(0.9, model.Descriptor.Metrics["macro_f1"]);
        Assert.Equal(["billing", "account", "billing"], predictions.Select(p => p.Heads[0].Label));
        Assert.All(predictions, p => Assert.Equal(1f, p.Heads[0].Scores.Sum(), 1e-5f));
        Assert.True(predictions[0].Heads[0].Score > 0.9f);
    }

    [Fact]
    public async Task I_can_get_every_head_of_a_multitask_model_and_the_same_scores_alone_or_in_a_padded_batch()
    {
        // Arrange
        var folder = TinyOnnxModel.Write(Path.Combine(_root, "mt"), "1", multitask: true);
        using var model = await ModelSource.Onnx().LoadAsync(ModelReference.Parse(folder), CancellationToken.None);

        // Act
        var alone = model.Predict(["angry about a charge"]);
        var batched = model.Predict(["great", "angry about a charge", "i want a refund i want a refund i want a refund"]);

        // Assert
        Assert.Equal(["intent", "sentiment", "topics"], model.Heads.Select(h => h.Name));
        Assert.True(model.Heads[2].MultiLabel);
        Assert.Equal(["billing", "negative"], batched[1].Heads[2].Labels);
        Assert.Equal(["positive"], batched[0].Heads[2].Labels);
        Assert.Equal(["negative"], batched[1].Heads[1].Labels);
        Assert.Equal("billing", batched[1].Heads[0].Label);
        Assert.Equal("negative", batched[1].Heads[1].Label);
        Assert.Equal("positive", batched[0].Heads[1].Label);
        for (var h = 0; h < 3; h++)
        {
            for (var j = 0; j < model.Heads[h].Labels.Count; j++)
            {
                Assert.Equal(alone[0].Heads[h].Scores[j], batched[1].Heads[h].Scores[j], 1e-5f);
            }
        }
    }

    [Fact]
    public async Task I_get_an_error_naming_the_missing_file_when_the_folder_has_no_vocabulary()
    {
        // Arrange
        var folder = TinyOnnxModel.Write(Path.Combine(_root, "novocab"), "1");
        File.Delete(Path.Combine(folder, "vocab.txt"));

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() => ModelSource.Onnx().LoadAsync(ModelReference.Parse(folder), CancellationToken.None));

        // Assert
        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_an_error_listing_the_graph_outputs_when_a_head_names_a_missing_output()
    {
        // Arrange
        var folder = TinyOnnxModel.Write(Path.Combine(_root, "badout"), "1");
        File.WriteAllText(Path.Combine(folder, "labels.json"), """{"heads": [{"name": "intent", "output": "nope", "labels": ["billing", "account"]}]}""");

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() => ModelSource.Onnx().LoadAsync(ModelReference.Parse(folder), CancellationToken.None));

        // Assert
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("logits", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models:/support-intent@champion", "support-intent", "champion", null)]
    [InlineData("models:/support-intent/3", "support-intent", null, 3)]
    public void I_can_parse_registry_references(string text, string name, string? alias, int? version)
    {
        // Act
        var reference = ModelReference.Parse(text);

        // Assert
        Assert.True(reference.IsRegistry);
        Assert.Equal(name, reference.Name);
        Assert.Equal(alias, reference.Alias);
        Assert.Equal(version, reference.Version);
    }

    [Theory]
    [InlineData("models:/")]
    [InlineData("models:/name/0")]
    [InlineData("models:/name@")]
    [InlineData("models:/name/latest")]
    public void I_get_an_error_naming_the_accepted_forms_for_an_invalid_reference(string text)
    {
        // Act
        var error = Assert.Throws<ServingException>(() => ModelReference.Parse(text));

        // Assert
        Assert.Contains("models:/NAME@ALIAS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_serve_a_local_folder_and_its_reference_is_a_full_path()
    {
        // Act
        var reference = ModelReference.Parse("some/folder");

        // Assert
        Assert.False(reference.IsRegistry);
        Assert.Equal(Path.GetFullPath("some/folder"), reference.Folder);
    }
}
