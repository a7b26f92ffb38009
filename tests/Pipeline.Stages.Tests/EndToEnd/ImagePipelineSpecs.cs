using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Data.Images;
using Pipeline.Evaluation.Gating;
using Pipeline.Registry;
using Pipeline.Serving;
using Pipeline.Serving.Models;
using Pipeline.Stages.Evaluate;
using Pipeline.Stages.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary>
/// An image project end to end: real Fashion-MNIST images as <c>data/images/&lt;label&gt;/*.png</c>
/// in a Git repository, the packaged ImageNet ResNet (<c>model.base: resnet-cntk</c>) with a new
/// final layer, Evaluate's gate and report, Register into ./mlruns, and the service answering
/// base64 and multipart requests with the registered version. Skipped, saying why, when the
/// apt package dataset-fashion-mnist (installed by .ci/run) is missing.
/// </summary>
[Collection("Sequential")]
public sealed class ImagePipelineSpecs(ITestOutputHelper output) : IDisposable
{
    private const string Folder = "/usr/share/datasets/fashion-mnist";
    private const int PerClass = 40;

    // Four Fashion-MNIST classes a frozen ImageNet network separates well: T-shirt/top, Trouser, Sneaker, Bag.
    private static readonly (int Class, string Label)[] Classes = [(0, "tshirt"), (1, "trouser"), (7, "sneaker"), (8, "bag")];

    private readonly TempGitRepository _repository = new();
    private readonly ListLogger _logger = new();

    public void Dispose()
    {
        foreach (var line in _logger.Lines)
        {
            output.WriteLine(line);
        }

        _repository.Dispose();
    }

    [SkippableFact]
    public async Task I_can_train_evaluate_register_and_serve_an_image_classifier_from_a_folder_of_pngs()
    {
        // Arrange: 40 images per class as PNG files, one folder per label, and an image pipeline.yaml.
        Skip.IfNot(File.Exists(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz")), $"Fashion-MNIST is not installed under {Folder}: run `apt-get install dataset-fashion-mnist` (as .ci/run does).");
        var held = WriteImages();
        _repository.Write(".gitignore", "artifacts/\nmlruns/\n");
        _repository.Write("pipeline.yaml", """
            version: 1
            data:
              sources:
                - path: data/images
                  format: image_folder
            split:
              salt: v1
              validation: 0.2
              test: 0.3
            format:
              image:
                resize: 72
                size: 64
            model:
              base: resnet-cntk
            train:
              technique: head
              epochs: 2
              device: cpu
            evaluate:
              bootstrap:
                resamples: 200
              gates:
                - metric: macro_f1
                  min: 0.7
            register:
              model_name: fashion
              experiment: fashion
              tracking_uri: ""
            """);
        var commit = _repository.Commit("images and config");
        var settings = new StageSettings { RepositoryRoot = _repository.Path };

        // Act: the build's stage order.
        using (var run = PipelineRun.Start(settings, null, "test", _logger))
        {
            foreach (var stage in new[] { StageNames.Ingest, StageNames.Clean, StageNames.Format })
            {
                await run.RunStageAsync(stage);
            }

            Assert.True((await TrainGate.DecideAsync(settings, _logger)).ShouldTrain);
            foreach (var stage in new[] { StageNames.Train, StageNames.Evaluate, StageNames.Register })
            {
                await run.RunStageAsync(stage);
            }
        }

        // Assert: the gate passed on the test split and its report shows the misclassified images.
        var artifacts = Path.Combine(_repository.Path, "artifacts");
        Assert.Equal(GateVerdict.Pass, GateFile.Read(Path.Combine(artifacts, "evaluate", "gate.json")).Verdict);
        var report = await File.ReadAllTextAsync(Path.Combine(artifacts, "report.md"));
        Assert.Contains("resnet-cntk", report, StringComparison.Ordinal);
        if (report.Contains("### Misclassified rows", StringComparison.Ordinal))
        {
            Assert.Contains("](charts/misclassified.png)", report, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(artifacts, "charts", "misclassified.png")));
        }

        // Assert: version 1 is the champion, logged whole with its modality, no ONNX export.
        using var client = new LocalRegistry(Path.Combine(_repository.Path, "mlruns"), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var champion = await client.GetModelVersionByAliasAsync("fashion", "champion");
        Assert.Equal(1, champion.Version);
        Assert.Equal(commit, champion.Tags[TrainGate.CommitTag]);
        var downloaded = Path.Combine(_repository.Path, "served");
        await LoggedModel.FetchAsync(client, champion.RunId, Champion.ArtifactPathOf(champion), downloaded, cancellationToken: CancellationToken.None);
        var mlmodel = await File.ReadAllTextAsync(Path.Combine(downloaded, "MLmodel"));
        Assert.Contains("\"modality\": \"image\"", mlmodel, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(downloaded, "model.onnx")));

        // Act: serve the registered model; ask for the held-out images as base64 and one as an upload.
        var options = new ServingOptions { Model = downloaded, PollInterval = TimeSpan.Zero };
        await using var host = await ServingHost.StartAsync(options, ModelSource.Default(), ["http://127.0.0.1:0"], CancellationToken.None, l => l.ClearProviders());
        using var http = new HttpClient { BaseAddress = host.Urls[0], Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsJsonAsync("/v1/predict", new { images = held.Select(h => Convert.ToBase64String(h.Png)).ToArray() });
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(held[0].Png);
        form.Add(file, "image", "first.png");
        using var upload = await http.PostAsync("/v1/predict", form);

        // Assert: one answer per image, mostly right on images the model never saw, and the upload agrees with base64.
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var labels = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToList();
        Assert.Equal(held.Count, labels.Count);
        var correct = labels.Zip(held).Count(x => x.First == x.Second.Label);
        output.WriteLine($"served: {correct}/{held.Count} held-out images right");
        Assert.True(correct >= held.Count * 3 / 4, $"only {correct} of {held.Count} held-out images were classified right");
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        using var uploaded = JsonDocument.Parse(await upload.Content.ReadAsStringAsync());
        Assert.Equal(labels[0], uploaded.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
    }

    /// <summary>Writes <see cref="PerClass"/> images per class from the t10k set; returns 5 more per class, held out of the repository.</summary>
    private List<(string Label, byte[] Png)> WriteImages()
    {
        var images = Gunzip(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"));
        var classes = Gunzip(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"));
        var held = new List<(string, byte[])>();
        foreach (var (id, label) in Classes)
        {
            var rows = Enumerable.Range(0, classes.Length - 8).Where(i => classes[8 + i] == id).Take(PerClass + 5).ToList();
            for (var k = 0; k < rows.Count; k++)
            {
                var png = PngEncoder.EncodeGrey(images.AsSpan(16 + (rows[k] * 784), 784), 28, 28);
                if (k < PerClass)
                {
                    var path = Path.Combine(_repository.Path, "data", "images", label, $"{rows[k]:D5}.png");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, png);
                }
                else
                {
                    held.Add((label, png));
                }
            }
        }

        return held;
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }
}
