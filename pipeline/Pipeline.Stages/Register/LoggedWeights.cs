using Pipeline.Configuration;
using Pipeline.Errors;
using Pipeline.Stages.Training;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Lora;

namespace Pipeline.Stages.Register;

/// <summary>How the logged model carries its encoder.</summary>
internal enum LoggedWeightsKind
{
    /// <summary>The LoRA adapter alone (<c>adapter/</c>) plus <c>base_model.json</c>: the default for lora and lp-ft.</summary>
    Adapter,

    /// <summary>No encoder weights at all (a linear probe, or LP-FT that kept its probe): the heads plus <c>base_model.json</c>.</summary>
    Heads,

    /// <summary>The base with the adapter folded in (<c>register.merge: true</c>, <c>--merge</c>).</summary>
    Merged,

    /// <summary>Full fine-tuning: every encoder weight changed, so all of them are logged.</summary>
    Full,
}

/// <summary>
/// What Register logs as the model's encoder. Full fine-tuning logs full weights. Otherwise the
/// encoder is the base (plus a LoRA adapter), so the model is logged as the adapter and a
/// reference to the base (name, source, sha256 of its weights), not a merged copy of the base;
/// <c>register.merge</c> logs the merged weights instead.
/// </summary>
internal sealed record LoggedWeights(LoggedWeightsKind Kind, BaseModelReference? Reference)
{
    /// <summary>Decides from the technique, <c>register.merge</c> and the trained folder; hashes the base when it is referenced.</summary>
    /// <exception cref="PipelineException">The base changed since Train, so a reference would not rebuild the trained model.</exception>
    public static LoggedWeights Build(StageSettings settings, PipelineOptions config, string trainFolder, TrainFacts facts)
    {
        // An image classifier's folder holds backbone and head in one file: it is logged whole.
        if (facts.Technique == "full" || facts.IsImageModel)
        {
            return new LoggedWeights(LoggedWeightsKind.Full, null);
        }

        if (config.Register.Merge)
        {
            return new LoggedWeights(LoggedWeightsKind.Merged, null);
        }

        var identity = BaseModel.Identity(facts.BaseModel, settings.RepositoryRoot);
        if (identity != facts.BaseModelIdentity)
        {
            throw new PipelineException(
                $"model.base '{facts.BaseModel}' changed since Train (trained on {facts.BaseModelIdentity}, now {identity}), so its adapter cannot be logged against it. " +
                "Run Train again (./build.sh), or log merged weights with ./build.sh Register --merge.");
        }

        var baseFolder = ModelResolver.Resolve(BaseModel.Locate(facts.BaseModel, settings.RepositoryRoot));
        var reference = BaseModelReference.Describe(facts.BaseModel, baseFolder);
        var adapter = Path.Combine(trainFolder, StageArtifacts.ModelFolder, ClassifierFolder.AdapterFolder, LoraAdapters.AdapterConfigFile);
        return new LoggedWeights(File.Exists(adapter) ? LoggedWeightsKind.Adapter : LoggedWeightsKind.Heads, reference);
    }

    /// <summary>True when the logged weights are a whole encoder (merged or full), so a merged ONNX export adds no second copy of the base.</summary>
    public bool ShipsMergedWeights => Kind is LoggedWeightsKind.Merged or LoggedWeightsKind.Full;

    /// <summary>Whether a file of the trained model folder (relative path, '/'-separated) goes into the logged model.</summary>
    public bool Keeps(string relative) => Kind switch
    {
        LoggedWeightsKind.Adapter or LoggedWeightsKind.Heads => relative != HuggingFaceFolder.WeightsFile,
        LoggedWeightsKind.Merged => !relative.StartsWith(ClassifierFolder.AdapterFolder + "/", StringComparison.Ordinal),
        _ => true,
    };

    /// <summary>One line for the log.</summary>
    public string Describe() => Kind switch
    {
        LoggedWeightsKind.Adapter => $"the LoRA adapter and heads on base '{Reference!.Name}' ({Reference.Source}, sha256 {Reference.Sha256[..12]}…)",
        LoggedWeightsKind.Heads => $"the heads on base '{Reference!.Name}' ({Reference.Source}, sha256 {Reference.Sha256[..12]}…)",
        LoggedWeightsKind.Merged => "merged encoder weights (--merge) and heads",
        _ => "full weights and heads",
    };

    /// <summary>Adds the weights' form, the base reference and the ONNX export to the MLmodel's flavor and metadata.</summary>
    public void Describe(IDictionary<string, string> flavor, IDictionary<string, string> metadata, bool onnx)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(metadata);
        flavor["weights"] = Kind.ToString().ToLowerInvariant();
        flavor["format"] = "safetensors";
        if (Kind == LoggedWeightsKind.Adapter)
        {
            flavor["adapter"] = ClassifierFolder.AdapterFolder + "/" + LoraAdapters.AdapterWeightsFile;
        }

        if (Reference is { } reference)
        {
            flavor["base_model_reference"] = BaseModelReference.FileName;
            flavor["base_model_name"] = reference.Name;
            flavor["base_model_source"] = reference.Source;
            flavor["base_model_sha256"] = reference.Sha256;
            metadata["pipeline.base_model_source"] = reference.Source;
            metadata["pipeline.base_model_sha256"] = reference.Sha256;
        }

        if (onnx)
        {
            // The ONNX graph cannot reference a base: it is the merged model, shipped for serving.
            flavor["onnx"] = "model.onnx";
            flavor["onnx_weights"] = "merged";
        }
    }
}
