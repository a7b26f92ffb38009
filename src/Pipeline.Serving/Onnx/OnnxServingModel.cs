using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
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
    private readonly BertTokenizer _tokenizer;
    private readonly Lock _tokenizerLock = new();
    private readonly int _maxTokens;
    private readonly bool _hasTokenTypes;
    private readonly string[] _outputNames;

    private OnnxServingModel(
        InferenceSession session, BertTokenizer tokenizer, int maxTokens, bool hasTokenTypes,
        ModelDescriptor descriptor, IReadOnlyList<ModelHead> heads, string[] outputNames)
    {
        _session = session;
        _tokenizer = tokenizer;
        _maxTokens = maxTokens;
        _hasTokenTypes = hasTokenTypes;
        Descriptor = descriptor;
        Heads = heads;
        _outputNames = outputNames;
    }

    public ModelDescriptor Descriptor { get; }

    public IReadOnlyList<ModelHead> Heads { get; }

    /// <summary>Loads a model folder; throws <see cref="ServingException"/> saying which file or graph input/output is wrong.</summary>
    public static OnnxServingModel Load(string folder, ModelDescriptor descriptor, OnnxModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        var manifest = ModelManifest.Read(folder);
        var heads = ModelManifest.ReadHeads(folder);
        var tokenizer = LoadTokenizer(Path.Combine(folder, OnnxModelLoader.VocabularyFile), manifest.Lowercase ?? options.Lowercase);
        var modelPath = Path.Combine(folder, OnnxModelLoader.ModelFile);

        // ONNX Runtime's warnings (e.g. unused initializers) go straight to stderr, bypassing ILogger.
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
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

            var maxTokens = manifest.MaxSequenceLength ?? options.MaxSequenceLength;
            return new OnnxServingModel(
                session, tokenizer, maxTokens, session.InputMetadata.ContainsKey("token_type_ids"),
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

        var (ids, mask, types, width) = Tokenize(texts);
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
                perInput[i].Add(head.MultiLabel ? Sigmoid(head, row) : Softmax(head, row));
            }
        }

        return [.. perInput.Select(p => new ModelPrediction(p))];
    }

    public void Dispose() => _session.Dispose();

    private (long[] Ids, long[] Mask, long[] Types, int Width) Tokenize(IReadOnlyList<string> texts)
    {
        var encoded = new (long[] Ids, long[] Types)[texts.Count];
        lock (_tokenizerLock)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var (ids, _, types) = _tokenizer.Encode(texts[i], _maxTokens);
                encoded[i] = (ids.ToArray(), types.ToArray());
            }
        }

        var width = encoded.Max(e => e.Ids.Length);
        var allIds = new long[texts.Count * width];
        var allMask = new long[texts.Count * width];
        var allTypes = new long[texts.Count * width];
        for (var i = 0; i < texts.Count; i++)
        {
            var (ids, types) = encoded[i];
            ids.CopyTo(allIds, i * width);
            types.CopyTo(allTypes, i * width);
            allMask.AsSpan(i * width, ids.Length).Fill(1);
        }

        return (allIds, allMask, allTypes, width);
    }

    private static HeadPrediction Softmax(ModelHead head, ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        var best = 0;
        for (var j = 0; j < logits.Length; j++)
        {
            if (logits[j] > max)
            {
                max = logits[j];
                best = j;
            }
        }

        var scores = new float[logits.Length];
        var sum = 0.0;
        for (var j = 0; j < logits.Length; j++)
        {
            var e = Math.Exp(logits[j] - max);
            scores[j] = (float)e;
            sum += e;
        }

        for (var j = 0; j < scores.Length; j++)
        {
            scores[j] = (float)(scores[j] / sum);
        }

        return new HeadPrediction(head.Name, head.Labels[best], scores);
    }

    private static HeadPrediction Sigmoid(ModelHead head, ReadOnlySpan<float> logits)
    {
        var scores = new float[logits.Length];
        List<string> predicted = [];
        var best = 0;
        for (var j = 0; j < logits.Length; j++)
        {
            scores[j] = (float)(1.0 / (1.0 + Math.Exp(-logits[j])));
            if (scores[j] > scores[best])
            {
                best = j;
            }

            if (scores[j] >= (head.Thresholds?[j] ?? 0.5f))
            {
                predicted.Add(head.Labels[j]);
            }
        }

        return new HeadPrediction(head.Name, head.Labels[best], scores) { Labels = predicted };
    }

    private static BertTokenizer LoadTokenizer(string vocabPath, bool lowercase)
    {
        if (!File.Exists(vocabPath))
        {
            throw new ServingException($"The model folder has no {OnnxModelLoader.VocabularyFile} at {vocabPath}: copy the base model's WordPiece vocabulary there.");
        }

        // vocab.txt files from Windows-built hubs (MiniLM's among them) end lines with CRLF; the
        // tokenizer would keep the '\r' in every token, so normalise before loading.
        var text = File.ReadAllText(vocabPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        var tokenizer = new BertTokenizer();
        using var reader = new StringReader(text);
        tokenizer.LoadVocabulary(reader, lowercase);
        return tokenizer;
    }
}
