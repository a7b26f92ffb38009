using Pipeline.Training.Heads;
using Pipeline.Training.Vision;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ImageClassifierSpecs : IDisposable
{
    private readonly string _dir = TinyBert.TempFolder();

    [Fact]
    public void A_saved_BGR_classifier_with_a_mean_image_loads_and_predicts_the_same_probabilities()
    {
        // Arrange
        random.manual_seed(11);
        var config = TinyResNet.Config() with
        {
            Preprocessing = new ImagePreprocessing { ChannelOrder = "bgr", Scale = 1, Mean = [100f, 110f, 120f], MeanImageFile = CntkResNetImporter.MeanImageFile, Std = [1f, 1f, 1f] },
        };
        var meanImage = rand(3, 8, 8) * 255;
        var tasks = new[] { new TaskHeadSpec("label", TaskKind.SingleLabel, 3) { LabelNames = ["a", "b", "c"] } };
        using var model = new ImageClassifier(new ResNet(config), new ImageNormalization(config.Preprocessing, meanImage), tasks, 16, 20);
        var images = TinyImages.TwoColours(3, 20, seed: 4).Select(e => (e.Pixels, e.Height, e.Width)).ToList();
        var expected = model.Predict(images);
        var folder = Path.Combine(_dir, "classifier");

        // Act
        model.Save(folder);
        using var loaded = ImageClassifier.Load(folder);
        var actual = loaded.Predict(images);

        // Assert
        Assert.True(File.Exists(Path.Combine(folder, CntkResNetImporter.MeanImageFile)));
        Assert.True(loaded.Normalization.Preprocessing.IsBgr);
        Assert.Equal(["a", "b", "c"], loaded.Tasks[0].LabelNames);
        Assert.Equal(20, loaded.ResizeSize);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(expected[i]["label"], actual[i]["label"]);
        }
    }

    [Fact]
    public void Loading_a_backbone_folder_as_a_classifier_says_it_has_no_tasks()
    {
        // Arrange
        var folder = TinyImages.BaseFolder(_dir);

        // Act
        var error = Assert.Throws<Models.ModelLoadException>(() => ImageClassifier.Load(folder));

        // Assert
        Assert.Contains("not a trained image classifier", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
