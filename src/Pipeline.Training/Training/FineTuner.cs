using Microsoft.Extensions.Logging;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Lora;
using TorchSharp;

namespace Pipeline.Training.Training;

/// <summary>
/// One call for the Train stage: resolve and load the base, build the heads (or warm-start
/// them), run the technique (probe, full, LoRA or LP-FT), and write the model folder.
/// </summary>
public static class FineTuner
{
    public const string AdapterFolder = ClassifierFolder.AdapterFolder;

    /// <summary>Runs <paramref name="request"/>; see <see cref="FineTuneTechnique"/> for what trains.</summary>
    public static FineTuneResult Run(FineTuneRequest request, ILogger logger, IProgress<TrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(logger);
        var baseFolder = ModelResolver.Resolve(request.ModelBase);
        var tokenizer = HuggingFaceFolder.TokenizerPath(baseFolder);
        TorchSharp.torch.random.manual_seed(request.TrainOptions.Seed);
        using var model = Build(request, baseFolder, out var warmAdapter);
        if (request.Device is not null)
        {
            model.to(request.Device);
        }

        double? probe = null;
        TrainResult? training = null;
        Dictionary<string, TorchSharp.torch.Tensor>? probeHeads = null;
        var technique = request.Technique;
        if (technique is FineTuneTechnique.Head or FineTuneTechnique.LpFt)
        {
            Techniques.Prepare(model, TrainingTechnique.Head);
            probe = LinearProbe.Fit(model, request.Train, request.Validation, request.ProbeOptions, logger).BestMacroF1;
            if (technique == FineTuneTechnique.LpFt)
            {
                probeHeads = HeadSnapshot(model);
            }
        }

        if (technique is not FineTuneTechnique.Head)
        {
            var body = technique == FineTuneTechnique.Full ? TrainingTechnique.Full : TrainingTechnique.Lora;
            if (body == TrainingTechnique.Lora && warmAdapter)
            {
                Techniques.Prepare(model, TrainingTechnique.Head);
                foreach (var (name, parameter) in model.Encoder.named_parameters())
                {
                    parameter.requires_grad = name.Contains(".lora_", StringComparison.Ordinal);
                }
            }
            else
            {
                Techniques.Prepare(model, body, request.LoraOptions);
            }

            training = new Trainer(request.TrainOptions, logger).Fit(model, request.Train, request.Validation, request.CheckpointFolder, progress, cancellationToken);
        }

        // LP-FT never hands back less than its own first phase: when fine-tuning did not beat the
        // probe on validation, the probe's heads on the unchanged encoder are the result.
        var keptProbe = probeHeads is not null && training is not null && training.BestMacroF1 < probe;
        if (keptProbe)
        {
            RestoreProbe(model, probeHeads!);
            logger.LogWarning("LP-FT: fine-tuning reached validation macro-F1 {Tuned:F4}, below the linear probe's {Probe:F4}; keeping the probe (its heads on the unchanged encoder).",
                training!.BestMacroF1, probe);
        }

        DisposeAll(probeHeads);
        var parameters = model.parameters().ToList();
        var trainable = parameters.Where(p => p.requires_grad).Sum(p => p.numel());
        var total = parameters.Sum(p => p.numel());
        if (LoraAdapters.AdapterState(model.Encoder).Count > 0)
        {
            if (!keptProbe)
            {
                LoraAdapters.Save(model.Encoder, request.LoraOptions, Path.Combine(request.OutputFolder, AdapterFolder));
            }

            LoraAdapters.MergeAndUnload(model.Encoder);
        }

        ClassifierFolder.Save(model, request.OutputFolder, tokenizer);
        logger.LogInformation("Fine-tuning ({Technique}) wrote {Folder}: probe macro-F1 {Probe}, fine-tuned macro-F1 {Tuned}.",
            technique, request.OutputFolder, probe?.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            training?.BestMacroF1.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        return new FineTuneResult(technique, request.OutputFolder, probe, training, trainable, total) { KeptProbe = keptProbe };
    }

    private static Dictionary<string, TorchSharp.torch.Tensor> HeadSnapshot(TextClassifier model) =>
        model.named_parameters()
            .Where(p => p.name.StartsWith("heads.", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => p.parameter.detach().clone(), StringComparer.Ordinal);

    /// <summary>Puts the probe's head weights back and zeroes every LoRA B, so the adapters change nothing.</summary>
    private static void RestoreProbe(TextClassifier model, Dictionary<string, TorchSharp.torch.Tensor> heads)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (heads.TryGetValue(name, out var saved))
            {
                parameter.copy_(saved);
            }
            else if (name.Contains(".lora_B", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
        }
    }

    private static void DisposeAll(Dictionary<string, TorchSharp.torch.Tensor>? tensors)
    {
        if (tensors is null)
        {
            return;
        }

        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    private static TextClassifier Build(FineTuneRequest request, string baseFolder, out bool warmAdapter)
    {
        warmAdapter = false;
        var warm = request.WarmStartFolder;
        if (warm is null)
        {
            return new TextClassifier(HuggingFaceFolder.Load(baseFolder), request.Tasks, request.Pooling);
        }

        if (File.Exists(Path.Combine(warm, HuggingFaceFolder.ConfigFile)) && File.Exists(Path.Combine(warm, HuggingFaceFolder.WeightsFile)))
        {
            return ClassifierFolder.Load(warm);
        }

        // A logged model that references its base must continue on that very base.
        BaseModelReference.TryRead(warm)?.Verify(baseFolder);
        var adapter = Path.Combine(warm, AdapterFolder);
        var encoder = HuggingFaceFolder.Load(baseFolder);
        try
        {
            var adapterFolder = Directory.Exists(adapter) ? adapter : warm;
            // A head-only (or probe-kept) model referencing its base has heads and no adapter.
            if (File.Exists(Path.Combine(adapterFolder, LoraAdapters.AdapterConfigFile)) || !ClassifierFolder.ReferencesBase(warm))
            {
                LoraAdapters.Load(encoder, adapterFolder);
                warmAdapter = true;
            }

            return ClassifierFolder.LoadHeads(encoder, warm);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }
}
