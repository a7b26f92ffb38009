using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Pipeline.Serving.Internal;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Onnx;

/// <summary>
/// A text classifier run by ONNX Runtime: WordPiece tokens in (<c>input_ids</c>, <c>attention_mask</c>
/// and, when the graph has it, <c>token_type_ids</c>, all int64 [batch, tokens]), float logits
/// [batch, labels] out per head. Inputs are padded to the longest in the batch.
/// </summary>
public sealed class OnnxServingModel : IServingModel
{
    private readonly InferenceSession _session;
    private readonly WordPieceEncoder _encoder;
    private readonly bool _hasTokenTypes;
    private readonly string[] _outputNames;

    private OnnxServingModel(
        InferenceSession session, WordPieceEncoder encoder, bool hasTokenTypes,
        ModelDescriptor descriptor, IReadOnlyList<ModelHead> heads, string[] outputNames)
    {
        _session = session;
        _encoder = encoder;
        _hasTokenTypes = hasTokenTypes;
        Descriptor = descriptor;
        Heads = heads;
        _outputNames = outputNames;
    }

    public ModelDescriptor Descriptor { get; }

    public IReadOnlyList<ModelHead> Heads { get; }

    public ModelModality Modality => ModelModality.Text;

    /// <summary>Loads a model folder; throws <see cref="ServingException"/> saying which file or graph input/output is wrong.</summary>
    public static OnnxServingModel Load(string folder, ModelDescriptor descriptor, OnnxModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        var manifest = ModelManifest.Read(folder);
        var heads = ModelManifest.ReadHeads(folder);
        var encoder = WordPieceEncoder.Load(
            Path.Combine(folder, OnnxModelLoader.VocabularyFile), manifest.Lowercase ?? options.Lowercase, manifest.MaxSequenceLength ?? options.MaxSequenceLength, manifest.TruncateHead);
        var modelPath = Path.Combine(folder, OnnxModelLoader.ModelFile);

        // ONNX Runtime's warnings (e.g. unused initializers) go straight to stderr, bypassing ILogger.
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ServingException($"ONNX Runtime cannot load {modelPath}: {e.Message}", e);
        }

        try
        {
            foreach (var required in new[] { "input_ids", "attention_mask" })
            {
                if (!session.InputMetadata.TryGetValue(required, out var meta) || meta.ElementDataType != TensorElementType.Int64)
                {
                    throw new ServingException(
                        $"{modelPath} needs an int64 graph input '{required}' [batch, tokens]; its inputs are {string.Join(", ", session.InputMetadata.Keys)}.");
                }
            }

            var outputs = session.OutputMetadata.Keys.ToList();
            var outputNames = heads.Select(h => h.Output
                ?? (heads.Count == 1 && outputs.Count == 1 ? outputs[0] : "logits_" + h.Head.Name)).ToArray();
            foreach (var name in outputNames.Where(n => !outputs.Contains(n)))
            {
                throw new ServingException(
                    $"{modelPath} has no output '{name}' for a head in {ModelManifest.LabelsFile}; its outputs are {string.Join(", ", outputs)}. Name the output with \"output\" in {ModelManifest.LabelsFile}.");
            }

            return new OnnxServingModel(
                session, encoder, session.InputMetadata.ContainsKey("token_type_ids"),
                descriptor, [.. heads.Select(h => h.Head)], outputNames);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var (ids, mask, types, width) = _encoder.Encode(texts);
        long[] shape = [texts.Count, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = _hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(types, shape) : null;
        var inputNames = _hasTokenTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : ["input_ids", "attention_mask"];
        var inputValues = _hasTokenTypes ? new[] { idsValue, maskValue, typesValue! } : [idsValue, maskValue];

        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, inputNames, inputValues, _outputNames);
        var perInput = new List<HeadPrediction>[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            perInput[i] = new List<HeadPrediction>(Heads.Count);
        }

        for (var h = 0; h < Heads.Count; h++)
        {
            var head = Heads[h];
            var logitsShape = results[h].GetTensorTypeAndShape().Shape;
            if (logitsShape.Length != 2 || logitsShape[0] != texts.Count || logitsShape[1] != head.Labels.Count)
            {
                throw new ServingException(
                    $"Output '{_outputNames[h]}' of {Descriptor.Name} v{Descriptor.Version} has shape [{string.Join(", ", logitsShape)}]; expected [{texts.Count}, {head.Labels.Count}] for head '{head.Name}'.");
            }

            var logits = results[h].GetTensorDataAsSpan<float>();
            for (var i = 0; i < texts.Count; i++)
            {
                var row = logits.Slice(i * head.Labels.Count, head.Labels.Count);
                perInput[i].Add(Probabilities.FromLogits(head, row));
            }
        }

        return [.. perInput.Select(p => new ModelPrediction(p))];
    }

    public void Dispose() => _session.Dispose();
}
