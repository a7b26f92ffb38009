using Onnx;
using Pipeline.Serving.Export;
using Pipeline.Serving.Models;
using Pipeline.Serving.Onnx;
using Pipeline.Serving.TorchSharp;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Serving.Tests;

/// <summary>The real MiniLM, imported once per test class into a scratch model cache.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        Cache = Path.Combine(Path.GetTempPath(), "serving-minilm-" + Guid.NewGuid().ToString("N"));
        Folder = PackagedModels.EnsureImported("minilm", Cache);
    }

    public string Cache { get; }

    public string Folder { get; }

    public void Dispose() => Directory.Delete(Cache, recursive: true);
}

[Collection("Sequential")]
public sealed class OnnxExportSpecs(MiniLmFixture miniLm, ITestOutputHelper output) : IClassFixture<MiniLmFixture>, IDisposable
{
    private static readonly string[] Samples =
    [
        "How do I reset my password?",
        "My card was charged twice for the same order and I want my money back now.",
        "cancel",
        "The invoice for March is wrong",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "serving-export-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(PoolingMode.Mean, true)]
    [InlineData(PoolingMode.Cls, false)]
    public void A_fine_tuned_MiniLM_classifier_exports_to_ONNX_and_ONNX_Runtime_agrees_with_TorchSharp(PoolingMode pooling, bool multitask)
    {
        // Arrange: the packaged weights moved away from the base, as fine-tuning does, and random heads.
        var classifier = SaveFineTunedMiniLm(Path.Combine(_root, "classifier"), pooling, multitask);
        var exported = Path.Combine(_root, "exported");

        // Act
        var result = OnnxExporter.Export(classifier, exported, Samples);

        // Assert
        output.WriteLine($"{pooling}: max |ONNX Runtime - TorchSharp| = {result.MaxAbsDifference:E2} on the {result.BaseGraph} graph");
        Assert.True(result.Exported, result.Reason);
        Assert.Equal("minilm", result.BaseGraph);
        Assert.InRange(result.MaxAbsDifference, 0, 1e-4);
        Assert.NotEqual(Initializer(PackagedModels.ReadOnnx("minilm"), "embeddings.word_embeddings.weight"), Initializer(File.ReadAllBytes(Path.Combine(exported, "model.onnx")), "embeddings.word_embeddings.weight"));
        using var onnx = new OnnxModelLoader(new OnnxModelOptions()).Load(exported, ModelSource.DescribeFolder(exported));
        using var torch = new TorchSharpModelLoader(new TorchSharpModelOptions()).Load(classifier, ModelSource.DescribeFolder(classifier));
        Assert.IsType<OnnxServingModel>(onnx);
        Assert.Equal(torch.Heads.Select(h => (h.Name, string.Join(",", h.Labels), h.MultiLabel)), onnx.Heads.Select(h => (h.Name, string.Join(",", h.Labels), h.MultiLabel)));
        var fromOnnx = onnx.Predict(Samples);
        var fromTorch = torch.Predict(Samples);
        for (var i = 0; i < Samples.Length; i++)
        {
            for (var h = 0; h < torch.Heads.Count; h++)
            {
                Assert.Equal(fromTorch[i].Heads[h].Label, fromOnnx[i].Heads[h].Label);
                Assert.All(fromTorch[i].Heads[h].Scores.Zip(fromOnnx[i].Heads[h].Scores), p => Assert.Equal(p.First, p.Second, 1e-4));
            }
        }
    }

    [Fact]
    public async Task The_default_source_serves_the_exported_graph_when_it_is_written_into_the_classifier_folder()
    {
        // Arrange
        var classifier = SaveFineTunedMiniLm(Path.Combine(_root, "classifier"), PoolingMode.Mean, multitask: false);

        // Act
        OnnxExporter.Export(classifier, classifier, Samples[..2]);
        using var model = await ModelSource.Default().LoadAsync(ModelReference.Parse(classifier), CancellationToken.None);

        // Assert
        Assert.IsType<OnnxServingModel>(model);
        Assert.True(File.Exists(Path.Combine(classifier, "labels.json")));
    }

    [Theory]
    [InlineData(PoolingMode.Mean, true, "gelu")]
    [InlineData(PoolingMode.Cls, false, "gelu_new")]
    [InlineData(PoolingMode.Mean, false, "relu")]
    public void A_classifier_on_a_base_without_a_packaged_graph_exports_on_a_built_BERT_graph_that_agrees_with_TorchSharp(PoolingMode pooling, bool multitask, string hiddenAct)
    {
        // Arrange
        var classifier = TinyClassifier.Write(Path.Combine(_root, "tiny"), multitask, pooling: pooling, hiddenAct: hiddenAct);
        var exported = Path.Combine(_root, "exported");

        // Act
        var result = OnnxExporter.Export(classifier, exported, ["refund please", "how do i reset my password my account is locked out", "hello"]);

        // Assert
        Assert.True(result.Exported, result.Reason);
        Assert.Equal(OnnxExporter.BuiltGraph, result.BaseGraph);
        Assert.InRange(result.MaxAbsDifference, 0, 1e-4);
        using var onnx = new OnnxModelLoader(new OnnxModelOptions()).Load(exported, ModelSource.DescribeFolder(exported));
        Assert.Equal(multitask ? ["intent", "topics"] : ["intent"], onnx.Heads.Select(h => h.Name));
    }

    [Fact]
    public void The_built_BERT_graph_agrees_with_TorchSharp_on_the_real_MiniLM_too()
    {
        // Arrange
        var classifier = SaveFineTunedMiniLm(Path.Combine(_root, "classifier"), PoolingMode.Mean, multitask: false);
        var exported = Path.Combine(_root, "exported");

        // Act
        var result = OnnxExporter.Export(classifier, exported, Samples, new OnnxExportOptions { BaseGraph = OnnxExporter.BuiltGraph });

        // Assert
        output.WriteLine($"built graph: max |ONNX Runtime - TorchSharp| = {result.MaxAbsDifference:E2}");
        Assert.True(result.Exported, result.Reason);
        Assert.InRange(result.MaxAbsDifference, 0, 1e-4);
    }

    [Fact]
    public void A_packaged_graph_that_does_not_fit_the_encoder_is_not_used_and_nothing_is_written()
    {
        // Arrange
        var classifier = TinyClassifier.Write(Path.Combine(_root, "tiny"));
        var exported = Path.Combine(_root, "exported");

        // Act
        var result = OnnxExporter.Export(classifier, exported, Samples, new OnnxExportOptions { BaseGraph = "minilm" });

        // Assert
        Assert.False(result.Exported);
        Assert.Contains("minilm", result.Reason, StringComparison.Ordinal);
        Assert.Contains("TorchSharp", result.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(exported, "model.onnx")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static byte[] Initializer(byte[] onnx, string name) =>
        ModelProto.Parser.ParseFrom(onnx).Graph.Initializer.Single(i => i.Name == name).RawData.ToByteArray();

    private string SaveFineTunedMiniLm(string folder, PoolingMode pooling, bool multitask)
    {
        random.manual_seed(5);
        List<TaskHeadSpec> tasks = [new("intent", TaskKind.SingleLabel, 4) { LabelNames = ["billing", "account", "shipping", "other"] }];
        if (multitask)
        {
            tasks.Add(new("topics", TaskKind.MultiLabel, 3) { Thresholds = [0.4f, 0.5f, 0.6f] });
        }

        using var model = new TextClassifier(HuggingFaceFolder.Load(miniLm.Folder), tasks, pooling);
        using (no_grad())
        {
            foreach (var (_, parameter) in model.Encoder.named_parameters())
            {
                using var noise = randn_like(parameter) * 0.01;
                parameter.add_(noise);
            }
        }

        ClassifierFolder.Save(model, folder, Path.Combine(miniLm.Folder, HuggingFaceFolder.VocabFile));
        return folder;
    }
}
