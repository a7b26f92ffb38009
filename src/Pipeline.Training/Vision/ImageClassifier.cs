using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using Pipeline.Training.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// An ImageNet backbone (<c>backbone.*</c>, torchvision names) with a new final layer per task
/// (<c>heads.&lt;task&gt;.classifier.*</c>) in place of its 1000-class <c>fc</c>; single-label tasks.
/// It carries the network's normalisation and its image sizes, so a saved folder can be served
/// with <see cref="Load"/> and <see cref="Predict"/>.
/// </summary>
public sealed class ImageClassifier : nn.Module<Tensor, IReadOnlyDictionary<string, Tensor>>, ITrainableClassifier, IProbeableClassifier
{
    private readonly ModuleDict<ClassificationHead> _heads;
    private readonly List<nn.Module> _frozen = [];

    /// <param name="backbone">The ResNet; owned (disposed) from now on.</param>
    /// <param name="normalization">Its input normalisation; owned from now on.</param>
    /// <param name="tasks">One or more single-label tasks with distinct names.</param>
    /// <param name="imageSize">The square side the network sees (e.g. 224).</param>
    /// <param name="resizeSize">The square side images are stored at before the crop (e.g. 256); at least <paramref name="imageSize"/>.</param>
    public ImageClassifier(ResNet backbone, ImageNormalization normalization, IReadOnlyList<TaskHeadSpec> tasks, int imageSize, int resizeSize)
        : base(nameof(ImageClassifier))
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("A classifier needs at least one task.", nameof(tasks));
        }

        if (tasks.FirstOrDefault(t => t.Kind != TaskKind.SingleLabel) is { } multi)
        {
            throw new ArgumentException($"Task '{multi.Name}' is multi-label; image classifiers support single-label tasks.", nameof(tasks));
        }

        var duplicate = tasks.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Task '{duplicate.Key}' is declared twice.", nameof(tasks));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resizeSize, imageSize);
        Backbone = backbone;
        Normalization = normalization;
        Tasks = tasks;
        ImageSize = imageSize;
        ResizeSize = resizeSize;
        _heads = new ModuleDict<ClassificationHead>();
        foreach (var task in tasks)
        {
            _heads.Add((task.Name, new ClassificationHead(backbone.Config.NumFeatures, task.NumLabels, 0.0)));
        }

        register_module("backbone", backbone);
        register_module("heads", _heads);
    }

    /// <summary>The ResNet backbone.</summary>
    public ResNet Backbone { get; }

    /// <summary>The network's input normalisation.</summary>
    public ImageNormalization Normalization { get; }

    /// <summary>The tasks, in declaration order.</summary>
    public IReadOnlyList<TaskHeadSpec> Tasks { get; }

    /// <summary>The square side the network sees (the crop).</summary>
    public int ImageSize { get; }

    /// <summary>The square side images are stored at before the crop.</summary>
    public int ResizeSize { get; }

    /// <summary>The head of <paramref name="task"/>.</summary>
    public ClassificationHead Head(string task) => _heads[task];

    /// <summary>The heads' parameters (the higher <c>train.head_learning_rate</c>).</summary>
    public IEnumerable<Parameter> HeadParameters() => _heads.parameters();

    /// <summary>
    /// Which weights train: the heads always; of the backbone, nothing (<paramref name="unfreezeStages"/> 0),
    /// the last N residual stages (1–3), or everything (4, the stem included). Frozen parts stay in
    /// eval mode when the model trains, so their BatchNorm statistics do not move.
    /// </summary>
    /// <returns>The number of trainable parameters.</returns>
    public long Unfreeze(int unfreezeStages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unfreezeStages);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unfreezeStages, 4);
        _frozen.Clear();
        foreach (var (_, child) in Backbone.named_children())
        {
            _frozen.Add(child);
        }

        if (unfreezeStages == 4)
        {
            _frozen.Clear();
        }
        else
        {
            foreach (var layer in Backbone.Layers.Skip(4 - unfreezeStages))
            {
                _frozen.Remove(layer);
            }
        }

        foreach (var parameter in Backbone.parameters())
        {
            parameter.requires_grad = unfreezeStages == 4;
        }

        foreach (var layer in Backbone.Layers.Skip(4 - unfreezeStages))
        {
            foreach (var parameter in layer.parameters())
            {
                parameter.requires_grad = true;
            }
        }

        foreach (var parameter in HeadParameters())
        {
            parameter.requires_grad = true;
        }

        if (training)
        {
            train();
        }

        return parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }

    public override void train(bool train = true)
    {
        base.train(train);
        if (train)
        {
            foreach (var module in _frozen)
            {
                module.eval();
            }
        }
    }

    /// <summary>Logits per task from normalised images [batch, 3, size, size].</summary>
    public override IReadOnlyDictionary<string, Tensor> forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var logits = ForwardHeads(Backbone.forward(images));
        foreach (var value in logits.Values)
        {
            value.MoveToOuterDisposeScope();
        }

        return logits;
    }

    /// <summary>Logits per task for a collated image batch.</summary>
    public IReadOnlyDictionary<string, Tensor> ForwardBatch(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return forward(batch.Inputs[0]);
    }

    /// <summary>Logits per task from pooled features [batch, features].</summary>
    public Dictionary<string, Tensor> ForwardHeads(Tensor features)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var task in Tasks)
        {
            result[task.Name] = _heads[task.Name].forward(features);
        }

        return result;
    }

    /// <summary>
    /// Class probabilities per task for each image (8-bit RGB, HWC bytes, any size): each image is
    /// resized so its shorter side is <see cref="ResizeSize"/>, centre-cropped to
    /// <see cref="ImageSize"/> and normalised as in evaluation.
    /// </summary>
    /// <param name="images">Pixels, height and width of each image.</param>
    /// <param name="batchSize">Images per forward pass. Default 16.</param>
    public IReadOnlyList<IReadOnlyDictionary<string, float[]>> Predict(IReadOnlyList<(byte[] Pixels, int Height, int Width)> images, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        eval();
        using var noGrad = no_grad();
        var device = parameters().First().device;
        var results = new List<IReadOnlyDictionary<string, float[]>>(images.Count);
        foreach (var chunk in images.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var crops = chunk.Select(image => EvalCrop(ImageNormalization.ToTensor([image.Pixels], image.Height, image.Width, device))).ToList();
            var logits = forward(Normalization.Apply(cat(crops, 0)));
            var probabilities = Tasks.ToDictionary(t => t.Name, t => logits[t.Name].softmax(-1).cpu(), StringComparer.Ordinal);
            for (var i = 0; i < chunk.Length; i++)
            {
                results.Add(Tasks.ToDictionary(t => t.Name, t => probabilities[t.Name][i].data<float>().ToArray(), StringComparer.Ordinal));
            }
        }

        return results;
    }

    /// <summary>
    /// Writes the classifier to <paramref name="folder"/>: model.safetensors, config.json (the
    /// backbone's architecture and preprocessing, the image sizes and each task's labels) and the
    /// mean image when the network uses one.
    /// </summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        ResNetFolder.SaveState(state_dict(), Path.Combine(folder, ResNetFolder.WeightsFile));
        if (Normalization.MeanImage is { } mean && Backbone.Config.Preprocessing.MeanImageFile is { } meanFile)
        {
            ResNetFolder.SaveMeanImage(mean, Path.Combine(folder, meanFile));
        }

        var config = Backbone.Config with
        {
            ImageSize = ImageSize,
            ResizeSize = ResizeSize,
            Tasks = Tasks.Select(t => new ImageTaskConfig(t.Name, t.LabelNames ?? Enumerable.Range(0, t.NumLabels).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList())).ToList(),
        };
        config.Save(Path.Combine(folder, ResNetConfig.FileName));
    }

    /// <summary>Loads a classifier folder written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelLoadException">Not a classifier folder, or its weights do not match its config (all mismatches listed).</exception>
    public static ImageClassifier Load(string folder, Device? device = null)
    {
        var configPath = Path.Combine(folder, ResNetConfig.FileName);
        var config = ResNetConfig.Load(configPath);
        if (config.Tasks is not { Count: > 0 } || config.ImageSize is not { } size)
        {
            throw new ModelLoadException($"'{configPath}' describes a ResNet backbone, not a trained image classifier (no \"tasks\" or \"image_size\"); train one with ImageFineTuner.");
        }

        var tasks = config.Tasks.Select(t => new TaskHeadSpec(t.Name, TaskKind.SingleLabel, t.Labels.Count) { LabelNames = t.Labels }).ToList();
        var backbone = new ResNet(config with { ImageSize = null, ResizeSize = null, Tasks = null });
        var model = new ImageClassifier(backbone, ImageNormalization.FromFolder(folder, config), tasks, size, config.ResizeSize ?? size);
        var weights = Path.Combine(folder, ResNetFolder.WeightsFile);
        StateDictLoader.LoadFile(
            model,
            weights,
            tensors => StateDictLoader.Copy(model, tensors, weights, "Check that config.json (layers, base_width, tasks and their labels) belongs to these weights.", name => name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)),
            device);
        model.eval();
        return model;
    }

    /// <summary>Evaluation geometry for one image of any size: shorter side to <see cref="ResizeSize"/>, centre crop to <see cref="ImageSize"/>.</summary>
    internal Tensor EvalCrop(Tensor image)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (image.shape[2], image.shape[3]);
        var shorter = Math.Min(h, w);
        var resized = shorter == ResizeSize
            ? image
            : nn.functional.interpolate(image, [Math.Max(1, h * ResizeSize / shorter), Math.Max(1, w * ResizeSize / shorter)], mode: InterpolationMode.Bilinear, align_corners: false);
        return ImageAugmentation.CenterCrop(resized, ImageSize).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _heads.Dispose();
            Backbone.Dispose();
            Normalization.Dispose();
        }

        base.Dispose(disposing);
    }
}
