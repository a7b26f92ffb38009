using System.Text.Json;
using Google.Protobuf;
using Onnx;

namespace Pipeline.Serving.Tests;

/// <summary>
/// Writes a real, tiny ONNX text classifier in the serving folder layout (model.onnx, labels.json,
/// vocab.txt with CRLF endings, model.json): embedding Gather, masked mean pooling, then MatMul + Add
/// per head. Word embeddings are one-hot over four topics, so predictions are known in advance:
/// refund/invoice/charge → billing, password/login/locked → account, happy/great → positive,
/// angry/terrible → negative.
/// </summary>
internal static class TinyOnnxModel
{
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "refund", "invoice", "charge", "password", "login", "locked", "happy", "great", "angry", "terrible", "i", "want", "a", "my", "is"];

    private static readonly Dictionary<string, int> Topic = new()
    {
        ["refund"] = 0,
        ["invoice"] = 0,
        ["charge"] = 0,
        ["password"] = 1,
        ["login"] = 1,
        ["locked"] = 1,
        ["happy"] = 2,
        ["great"] = 2,
        ["angry"] = 3,
        ["terrible"] = 3,
    };

    /// <summary>Writes the model folder and returns its path.</summary>
    /// <param name="folder">Where to write; created when missing.</param>
    /// <param name="version">The version model.json reports.</param>
    /// <param name="multitask">Two heads (intent, sentiment) instead of one (intent).</param>
    /// <param name="nanWeights">Head weights are NaN: the model loads but fails the smoke prediction.</param>
    /// <param name="scale">Logit scale of the heads.</param>
    public static string Write(string folder, string version, bool multitask = false, bool nanWeights = false, float scale = 20f)
    {
        Directory.CreateDirectory(folder);
        const int Dim = 4;
        var embedding = new float[Vocabulary.Length * Dim];
        for (var i = 0; i < Vocabulary.Length; i++)
        {
            if (Topic.TryGetValue(Vocabulary[i], out var topic))
            {
                embedding[(i * Dim) + topic] = 1f;
            }
        }

        var graph = new GraphProto { Name = "tiny-classifier" };
        graph.Input.Add(Input("input_ids"));
        graph.Input.Add(Input("attention_mask"));
        graph.Initializer.Add(Floats("embedding", embedding, Vocabulary.Length, Dim));
        graph.Initializer.Add(Longs("axis1", [1], 1));
        graph.Initializer.Add(Longs("axis2", [2], 1));
        graph.Node.Add(Node("Gather", ["embedding", "input_ids"], ["embedded"]));
        var cast = Node("Cast", ["attention_mask"], ["mask"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        graph.Node.Add(cast);
        graph.Node.Add(Node("Unsqueeze", ["mask", "axis2"], ["mask3"]));
        graph.Node.Add(Node("Mul", ["embedded", "mask3"], ["masked"]));
        graph.Node.Add(ReduceSum("masked", "summed", keepDims: 0));
        graph.Node.Add(ReduceSum("mask", "count", keepDims: 1));
        graph.Node.Add(Node("Div", ["summed", "count"], ["pooled"]));

        List<(string Name, string Output, string[] Labels, int FirstDim, bool MultiLabel)> heads = multitask
            ?
            [
                ("intent", "logits_intent", ["billing", "account"], 0, false),
                ("sentiment", "logits_sentiment", ["positive", "negative"], 2, false),
                ("topics", "logits_topics", ["billing", "account", "positive", "negative"], 0, true),
            ]
            : [("intent", "logits", ["billing", "account"], 0, false)];
        foreach (var (name, output, labels, firstDim, multiLabel) in heads)
        {
            var weights = new float[Dim * labels.Length];
            for (var c = 0; c < labels.Length; c++)
            {
                weights[((firstDim + c) * labels.Length) + c] = nanWeights ? float.NaN : scale;
            }

            graph.Initializer.Add(Floats($"w_{name}", weights, Dim, labels.Length));

            // Multi-label: a label absent from the text scores sigmoid(-1) = 0.27, below 0.5.
            graph.Initializer.Add(Floats($"b_{name}", [.. Enumerable.Repeat(multiLabel ? -1f : 0f, labels.Length)], labels.Length));
            graph.Node.Add(Node("MatMul", ["pooled", $"w_{name}"], [$"z_{name}"]));
            graph.Node.Add(Node("Add", [$"z_{name}", $"b_{name}"], [output]));
            graph.Output.Add(Output(output, labels.Length));
        }

        var model = new ModelProto { IrVersion = 7, ProducerName = "Pipeline.Serving.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model.ToByteArray());

        // CRLF endings, as MiniLM's vocab.txt has them.
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), string.Join("\r\n", Vocabulary) + "\r\n");
        var labelsJson = new { heads = heads.Select(h => new { name = h.Name, output = h.Output, kind = h.MultiLabel ? "multi_label" : "single_label", labels = h.Labels }) };
        File.WriteAllText(Path.Combine(folder, "labels.json"), JsonSerializer.Serialize(labelsJson));
        File.WriteAllText(Path.Combine(folder, "model.json"), JsonSerializer.Serialize(new
        {
            name = "tiny-intent",
            version,
            commit = "c0ffee" + version,
            metrics = new Dictionary<string, double> { ["macro_f1"] = 0.9 },
            max_sequence_length = 32,
        }));
        return folder;
    }

    /// <summary>A folder whose model.onnx is not an ONNX graph: loading it fails.</summary>
    public static string WriteCorrupt(string folder, string version)
    {
        Write(folder, version);
        File.WriteAllText(Path.Combine(folder, "model.onnx"), "this is not a protobuf graph");
        return folder;
    }

    private static ValueInfoProto Input(string name)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "tokens" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = shape } },
        };
    }

    private static ValueInfoProto Output(string name, int labels)
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

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static NodeProto ReduceSum(string input, string output, int keepDims)
    {
        var node = Node("ReduceSum", [input, "axis1"], [output]);
        node.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = keepDims });
        return node;
    }

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    private static TensorProto Longs(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }
}
