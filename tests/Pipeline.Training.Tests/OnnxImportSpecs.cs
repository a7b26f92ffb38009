using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Pipeline.Training.Loading;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class OnnxImportSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly string _cache = TinyBert.TempFolder();

    private static readonly string[] Sentences =
    [
        "How do I reset my password?",
        "My card was charged twice for the same order.",
        "Cancel the subscription please",
    ];

    [Theory]
    [InlineData("minilm")]
    [InlineData("arctic-xs")]
    public async Task The_imported_packaged_model_matches_ONNX_Runtime_on_the_same_tokens(string shortName)
    {
        // Arrange
        using var scope = NewDisposeScope();
        var cache = _cache;
        var folder = ModelResolver.Resolve(shortName, cache);
        var tokenizer = new BertTokenizer();
        await tokenizer.LoadVocabularyAsync(Path.Combine(folder, HuggingFaceFolder.VocabFile), convertInputToLowercase: true);
        const int Length = 16;
        var ids = new long[Sentences.Length * Length];
        var mask = new long[Sentences.Length * Length];
        var types = new long[Sentences.Length * Length];
        for (var i = 0; i < Sentences.Length; i++)
        {
            var (rowIds, rowMask, rowTypes) = tokenizer.Encode(Sentences[i], Length, Length);
            rowIds.Span.CopyTo(ids.AsSpan(i * Length, Length));
            rowMask.Span.CopyTo(mask.AsSpan(i * Length, Length));
            rowTypes.Span.CopyTo(types.AsSpan(i * Length, Length));
        }

        long[] shape = [Sentences.Length, Length];
        float[] reference;
        using (var session = new InferenceSession(PackagedModels.ReadOnnx(shortName)))
        using (var runOptions = new RunOptions())
        using (var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape))
        using (var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape))
        using (var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape))
        using (var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]))
        {
            reference = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }

        // Act
        using var model = HuggingFaceFolder.Load(folder);
        model.eval();
        using var noGrad = no_grad();
        var hidden = model.forward(tensor(ids, shape), tensor(mask, shape), tensor(types, shape));

        // Assert
        Assert.Equal(new long[] { Sentences.Length, Length, 384 }, hidden.shape);
        Assert.Equal(6, model.Config.NumHiddenLayers);
        Assert.Equal(1536, model.Config.IntermediateSize);
        var expected = tensor(reference, hidden.shape);
        var tokenMask = tensor(mask, shape).unsqueeze(-1).to_type(ScalarType.Float32);
        var maxDiff = ((hidden - expected).abs() * tokenMask).max().item<float>();
        output.WriteLine($"{shortName}: max |TorchSharp - ONNX Runtime| = {maxDiff:E2}");
        Assert.True(maxDiff < 1e-4, $"max |TorchSharp - ONNX Runtime| over real tokens is {maxDiff}");
        Assert.True(File.Exists(Path.Combine(folder, "vocab.txt")));
        Assert.DoesNotContain('\r', File.ReadAllText(Path.Combine(folder, "vocab.txt")));
    }

    [Fact]
    public void A_second_resolve_reuses_the_cached_import()
    {
        // Arrange
        var cache = _cache;
        var first = ModelResolver.Resolve("minilm", cache);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(first, HuggingFaceFolder.WeightsFile));

        // Act
        var second = ModelResolver.Resolve("MiniLM", cache);

        // Assert
        Assert.Equal(first, second);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(second, HuggingFaceFolder.WeightsFile)));
        Assert.Single(Directory.GetDirectories(cache));
        Assert.Matches("minilm-[0-9a-f]{16}$", first);
    }

    public void Dispose() => Directory.Delete(_cache, recursive: true);
}
