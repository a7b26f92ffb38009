using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Pipeline.IO;
using Pipeline.Serving.Internal;
using Pipeline.Serving.Models;
using Pipeline.Serving.Onnx;
using Pipeline.Serving.TorchSharp;
using Pipeline.Training.Devices;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Serving.Export;

/// <summary>
/// Exports a fine-tuned classifier folder (<c>ClassifierFolder.Save</c>, LoRA merged) to the ONNX serving
/// layout: the packaged base's BERT graph with the fine-tuned weights written into its initializers (or,
/// for a base with no packaged graph, a BERT graph built from its config), plus pooling and one MatMul + Add per head (outputs <c>logits_TASK</c>), <c>labels.json</c> and
/// <c>vocab.txt</c>. ONNX Runtime and TorchSharp must agree on sample texts before anything is written.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The <see cref="OnnxExportOptions.BaseGraph"/> (and result) for a graph built from the encoder's config rather than taken from a package.</summary>
    public const string BuiltGraph = "built";

    private const string HiddenOutput = OnnxBertGraph.HiddenOutput;
    private static readonly JsonSerializerOptions LabelsJson = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Exports <paramref name="classifierFolder"/> into <paramref name="outputFolder"/> (may be the same
    /// folder: the service then loads the ONNX graph first). Returns <c>Exported = false</c> with the reason
    /// when no graph fits the encoder (e.g. an activation with no ONNX form here, or unmerged LoRA
    /// adapters): the folder then serves on TorchSharp.
    /// </summary>
    /// <param name="classifierFolder">A folder written by <c>ClassifierFolder.Save</c>, with <c>vocab.txt</c>.</param>
    /// <param name="outputFolder">Where <c>model.onnx</c>, <c>labels.json</c> and <c>vocab.txt</c> go (created when missing).</param>
    /// <param name="sampleTexts">Texts for the parity check (at least one; a few of different lengths check padding too).</param>
    /// <param name="options">Base graph, tolerance, tokenizer settings; defaults when null.</param>
    /// <exception cref="OnnxExportException">The graph does not take the weights, or ONNX Runtime and TorchSharp disagree beyond the tolerance; nothing is written.</exception>
    /// <exception cref="ServingException">The classifier folder cannot be loaded.</exception>
    public static OnnxExportResult Export(string classifierFolder, string outputFolder, IReadOnlyList<string> sampleTexts, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifierFolder);
        ArgumentNullException.ThrowIfNull(outputFolder);
        ArgumentNullException.ThrowIfNull(sampleTexts);
        options ??= new OnnxExportOptions();
        options.Validate();
        if (sampleTexts.Count == 0)
        {
            throw new ArgumentException("The parity check needs at least one sample text.", nameof(sampleTexts));
        }

        var torchOptions = new TorchSharpModelOptions { Device = DeviceRequest.Cpu, MaxSequenceLength = options.MaxSequenceLength, Lowercase = options.Lowercase };
        using var reference = TorchSharpServingModel.Load(classifierFolder, ModelSource.DescribeFolder(classifierFolder), torchOptions);
        using var classifier = ClassifierFolder.Load(classifierFolder);
        var encoderWeights = EncoderWeights(classifier.Encoder);
        try
        {
            List<string> candidates = options.BaseGraph is { } named ? [named] : [.. PackagedModels.TextShortNames, BuiltGraph];
            var reasons = new List<string>();
            foreach (var candidate in candidates)
            {
                var (model, misfit) = EncoderGraph(candidate, classifier.Encoder.Config, encoderWeights);
                if (model is null)
                {
                    reasons.Add($"{candidate}: {misfit}");
                    continue;
                }

                AppendPoolingAndHeads(model, classifier);
                var bytes = model.ToByteArray();
                var difference = Parity(bytes, reference, classifierFolder, sampleTexts, options);
                if (!(difference <= options.Tolerance))
                {
                    throw new OnnxExportException(
                        $"The ONNX export of '{classifierFolder}' on the {candidate} graph disagrees with TorchSharp: max |logit difference| {difference:E2} > {options.Tolerance:E0} " +
                        $"on {sampleTexts.Count} sample texts. Nothing was written; the model serves on TorchSharp.");
                }

                WriteFolder(outputFolder, bytes, reference.Heads, classifierFolder);
                return new OnnxExportResult(true, candidate, difference, null);
            }

            return new OnnxExportResult(false, null, double.NaN,
                $"No ONNX graph takes this encoder's weights ({string.Join("; ", reasons)}); the model serves on TorchSharp.");
        }
        finally
        {
            foreach (var tensor in encoderWeights.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// The encoder's graph with its weights: a packaged base's graph with the initializers overwritten, or
    /// (<see cref="BuiltGraph"/>) one built from the config. Null and the reason when it does not fit.
    /// </summary>
    private static (ModelProto? Model, string? Reason) EncoderGraph(string candidate, BertConfig config, Dictionary<string, Tensor> weights)
    {
        if (string.Equals(candidate, BuiltGraph, StringComparison.Ordinal))
        {
            return OnnxBertGraph.Build(config, weights);
        }

        if (!PackagedModels.TextShortNames.Contains(candidate))
        {
            return (null, $"not a packaged text encoder; use one of {string.Join(", ", PackagedModels.TextShortNames)} or {BuiltGraph}");
        }

        var model = ModelProto.Parser.ParseFrom(PackagedModels.ReadOnnx(candidate));
        var misfit = WriteEncoderWeights(model.Graph, weights);
        return misfit is null ? (model, null) : (null, misfit);
    }

    /// <summary>The encoder's parameters by Hugging Face name, as CPU float32 tensors.</summary>
    private static Dictionary<string, Tensor> EncoderWeights(BertModel encoder)
    {
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in encoder.named_parameters())
        {
            weights[name] = parameter.detach().cpu().to_type(ScalarType.Float32).contiguous();
        }

        return weights;
    }

    /// <summary>
    /// Overwrites the graph's encoder initializers with <paramref name="weights"/>: named initializers by
    /// name, anonymous MatMul weights through the Add whose bias names the layer (stored [in, out], so
    /// transposed). Returns why the graph does not fit, or null when every parameter was written.
    /// </summary>
    private static string? WriteEncoderWeights(GraphProto graph, Dictionary<string, Tensor> weights)
    {
        if (!graph.Output.Any(o => o.Name == HiddenOutput))
        {
            return $"the graph has no '{HiddenOutput}' output";
        }

        var assignments = new List<(TensorProto Target, string Parameter, bool Transpose)>();
        foreach (var init in graph.Initializer.Where(i => weights.ContainsKey(i.Name)))
        {
            assignments.Add((init, init.Name, false));
        }

        foreach (var (weight, parameter) in OnnxBertImporter.MatMulWeightParameters(graph).Where(p => weights.ContainsKey(p.Parameter)))
        {
            assignments.Add((weight, parameter, true));
        }

        var missing = weights.Keys.Except(assignments.Select(a => a.Parameter), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return $"{missing.Count} of the encoder's {weights.Count} parameters have no initializer (e.g. {string.Join(", ", missing.Take(3))})";
        }

        if (assignments.GroupBy(a => a.Target.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            return $"initializer '{shared.Key}' would take several parameters ({string.Join(", ", shared.Select(a => a.Parameter))})";
        }

        using var scope = NewDisposeScope();
        var values = assignments.Select(a => (a.Target, Value: a.Transpose ? weights[a.Parameter].t().contiguous() : weights[a.Parameter])).ToList();
        foreach (var (target, value) in values)
        {
            if (target.DataType != (int)TensorProto.Types.DataType.Float || !target.Dims.SequenceEqual(value.shape))
            {
                return $"initializer '{target.Name}' is [{string.Join(", ", target.Dims)}] {(TensorProto.Types.DataType)target.DataType}, the encoder's weight is [{string.Join(", ", value.shape)}] float";
            }
        }

        foreach (var (target, value) in values)
        {
            var data = value.data<float>().ToArray();
            target.FloatData.Clear();
            target.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
        }

        return null;
    }

    /// <summary>Replaces the graph's outputs with pooling plus one <c>logits_TASK</c> output per head, and drops what no output needs.</summary>
    private static void AppendPoolingAndHeads(ModelProto model, TextClassifier classifier)
    {
        var graph = model.Graph;
        var opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(13).Max();
        graph.Output.Clear();
        string pooled;
        if (classifier.Pooling == PoolingMode.Cls)
        {
            graph.Initializer.Add(Longs("pool_first_index", [0]));
            var gather = Node("Gather", [HiddenOutput, "pool_first_index"], "pooled");
            gather.Attribute.Add(IntAttribute("axis", 1));
            graph.Node.Add(gather);
            pooled = "pooled";
        }
        else
        {
            var cast = Node("Cast", ["attention_mask"], "pool_mask");
            cast.Attribute.Add(IntAttribute("to", (long)TensorProto.Types.DataType.Float));
            graph.Node.Add(cast);
            graph.Node.Add(AxesNode(graph, opset, "Unsqueeze", "pool_mask", "pool_mask3", 2, keepDims: null));
            graph.Node.Add(Node("Mul", [HiddenOutput, "pool_mask3"], "pool_masked"));
            graph.Node.Add(AxesNode(graph, opset, "ReduceSum", "pool_masked", "pool_sum", 1, keepDims: 0));
            graph.Node.Add(AxesNode(graph, opset, "ReduceSum", "pool_mask3", "pool_count", 1, keepDims: 0));
            graph.Initializer.Add(Floats("pool_min_count", [1e-9f], [1]));
            graph.Node.Add(Node("Max", ["pool_count", "pool_min_count"], "pool_count_clamped"));
            graph.Node.Add(Node("Div", ["pool_sum", "pool_count_clamped"], "pooled"));
            pooled = "pooled";
        }

        var state = classifier.state_dict();
        foreach (var task in classifier.Tasks)
        {
            using var weight = state[$"heads.{task.Name}.classifier.weight"].detach().cpu().to_type(ScalarType.Float32).t().contiguous();
            using var bias = state[$"heads.{task.Name}.classifier.bias"].detach().cpu().to_type(ScalarType.Float32).contiguous();
            graph.Initializer.Add(Floats($"head_{task.Name}_weight", weight.data<float>().ToArray(), weight.shape));
            graph.Initializer.Add(Floats($"head_{task.Name}_bias", bias.data<float>().ToArray(), bias.shape));
            graph.Node.Add(Node("MatMul", [pooled, $"head_{task.Name}_weight"], $"head_{task.Name}_z"));
            graph.Node.Add(Node("Add", [$"head_{task.Name}_z", $"head_{task.Name}_bias"], OutputName(task)));
            graph.Output.Add(LogitsOutput(OutputName(task), task.NumLabels));
        }

        Prune(graph);
    }

    /// <summary>Keeps only the nodes, initializers and value infos the outputs depend on (the base's pooler output goes).</summary>
    private static void Prune(GraphProto graph)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        foreach (var node in graph.Node.Reverse())
        {
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                foreach (var input in node.Input)
                {
                    needed.Add(input);
                }

                // Subgraphs (If/Loop) may read outer names; keep everything they mention.
                foreach (var sub in node.Attribute.Where(a => a.G is not null).Select(a => a.G))
                {
                    foreach (var inner in sub.Node.SelectMany(n => n.Input))
                    {
                        needed.Add(inner);
                    }
                }
            }
        }

        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var initializers = graph.Initializer.Where(i => needed.Contains(i.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        var infos = graph.ValueInfo.Where(v => needed.Contains(v.Name)).ToList();
        graph.ValueInfo.Clear();
        graph.ValueInfo.AddRange(infos);
    }

    /// <summary>Runs the exported graph on ONNX Runtime and returns the largest |logit difference| to TorchSharp over every head.</summary>
    private static double Parity(byte[] onnx, TorchSharpServingModel reference, string classifierFolder, IReadOnlyList<string> texts, OnnxExportOptions options)
    {
        var encoder = WordPieceEncoder.Load(Path.Combine(classifierFolder, HuggingFaceFolder.VocabFile), options.Lowercase, options.MaxSequenceLength);
        var (ids, mask, types, width) = encoder.Encode(texts);
        long[] shape = [texts.Count, width];
        var expected = reference.Logits(texts);
        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnx, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxExportException($"ONNX Runtime cannot load the exported graph of '{classifierFolder}': {e.Message}", e);
        }

        using (session)
        using (var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape))
        using (var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape))
        using (var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape))
        using (var runOptions = new RunOptions())
        {
            var hasTypes = session.InputMetadata.ContainsKey("token_type_ids");
            var names = hasTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : ["input_ids", "attention_mask"];
            var values = hasTypes ? new[] { idsValue, maskValue, typesValue } : [idsValue, maskValue];
            var outputNames = reference.Heads.Select(h => OutputName(h.Name)).ToArray();
            using var results = session.Run(runOptions, names, values, outputNames);
            var worst = 0.0;
            for (var h = 0; h < outputNames.Length; h++)
            {
                var actual = results[h].GetTensorDataAsSpan<float>();
                if (actual.Length != expected[h].Length)
                {
                    throw new OnnxExportException($"Output '{outputNames[h]}' of the export has {actual.Length} values; TorchSharp gives {expected[h].Length}.");
                }

                for (var i = 0; i < actual.Length; i++)
                {
                    var difference = Math.Abs((double)actual[i] - expected[h][i]);
                    worst = double.IsNaN(difference) ? double.NaN : Math.Max(worst, difference);
                }
            }

            return worst;
        }
    }

    private static void WriteFolder(string outputFolder, byte[] onnx, IReadOnlyList<ModelHead> heads, string classifierFolder)
    {
        Directory.CreateDirectory(outputFolder);
        var labels = new
        {
            heads = heads.Select(h => new
            {
                name = h.Name,
                output = OutputName(h.Name),
                kind = h.MultiLabel ? "multi_label" : "single_label",
                labels = h.Labels,
                thresholds = h.Thresholds,
            }),
        };
        var json = JsonSerializer.Serialize(labels, LabelsJson);
        var vocab = Path.Combine(classifierFolder, HuggingFaceFolder.VocabFile);
        var target = Path.Combine(outputFolder, OnnxModelLoader.VocabularyFile);
        if (!string.Equals(Path.GetFullPath(vocab), Path.GetFullPath(target), StringComparison.Ordinal))
        {
            AtomicFile.WriteVia(target, tmp => File.Copy(vocab, tmp));
        }

        AtomicFile.WriteVia(Path.Combine(outputFolder, ModelManifest.LabelsFile), tmp => File.WriteAllText(tmp, json));

        // model.onnx last: a folder with model.onnx is served by ONNX Runtime, so it must be complete by then.
        AtomicFile.WriteVia(Path.Combine(outputFolder, OnnxModelLoader.ModelFile), tmp => File.WriteAllBytes(tmp, onnx));
    }

    private static string OutputName(TaskHeadSpec task) => OutputName(task.Name);

    private static string OutputName(string head) => "logits_" + head;

    private static NodeProto AxesNode(GraphProto graph, long opset, string op, string input, string output, long axis, long? keepDims)
    {
        NodeProto node;
        if (opset >= 13)
        {
            var axesName = $"{output}_axes";
            graph.Initializer.Add(Longs(axesName, [axis], [1]));
            node = Node(op, [input, axesName], output);
        }
        else
        {
            node = Node(op, [input], output);
            node.Attribute.Add(new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints, Ints = { axis } });
        }

        if (keepDims is { } keep)
        {
            node.Attribute.Add(IntAttribute("keepdims", keep));
        }

        return node;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = $"export_{op}_{output}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static ValueInfoProto LogitsOutput(string name, int labels)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = labels });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Floats(string name, float[] values, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        return tensor;
    }

    private static TensorProto Longs(string name, long[] values, long[]? dims = null)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        if (dims is not null)
        {
            tensor.Dims.AddRange(dims);
        }

        tensor.Int64Data.AddRange(values);
        return tensor;
    }
}
