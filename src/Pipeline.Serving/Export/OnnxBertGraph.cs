using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Serving.Export;

/// <summary>
/// Builds a BERT encoder's ONNX graph (opset 17) from its config and weights, for bases that ship no
/// ONNX graph: inputs int64 <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> [batch, tokens],
/// output float <c>last_hidden_state</c> [batch, tokens, hidden]. Mirrors <see cref="BertModel"/>:
/// absolute positions, post-LayerNorm layers, additive mask with the float minimum.
/// </summary>
internal sealed class OnnxBertGraph
{
    public const string HiddenOutput = "last_hidden_state";
    private const long Opset = 17;
    private readonly GraphProto _graph = new() { Name = "bert-encoder" };
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _weights;
    private int _counter;

    private OnnxBertGraph(Dictionary<string, Tensor> weights) => _weights = weights;

    /// <summary>
    /// The encoder graph, or the reason it cannot be built (an activation ONNX has no form for here, or
    /// parameters it does not use, such as unmerged LoRA adapters).
    /// </summary>
    public static (ModelProto? Model, string? Reason) Build(BertConfig config, Dictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.HiddenAct is not ("gelu" or "gelu_new" or "gelu_pytorch_tanh" or "relu"))
        {
            return (null, $"activation '{config.HiddenAct}' has no ONNX form here");
        }

        var builder = new OnnxBertGraph(weights);
        try
        {
            builder.Encoder(config);
        }
        catch (KeyNotFoundException e)
        {
            return (null, e.Message);
        }

        var unused = weights.Keys.Where(k => !builder._used.Contains(k)).ToList();
        if (unused.Count > 0)
        {
            return (null, $"the encoder has parameters a BERT graph does not use (e.g. {string.Join(", ", unused.Take(3))}); merge LoRA adapters before exporting");
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "Pipeline.Serving.Export", Graph = builder._graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return (model, null);
    }

    private void Encoder(BertConfig config)
    {
        foreach (var input in new[] { "input_ids", "attention_mask", "token_type_ids" })
        {
            _graph.Input.Add(Int64Input(input));
        }

        // Embeddings: word + token type + position (0 .. tokens-1), then LayerNorm.
        var word = Op("Gather", Weight("embeddings.word_embeddings.weight"), "input_ids");
        var type = Op("Gather", Weight("embeddings.token_type_embeddings.weight"), "token_type_ids");
        var shape = Op("Shape", "input_ids");
        var tokens = Op("Gather", shape, Longs([1], scalar: true));
        var positions = Op("Range", Longs([0], scalar: true), tokens, Longs([1], scalar: true));
        var position = Op("Gather", Weight("embeddings.position_embeddings.weight"), positions);
        var hidden = LayerNorm(Op("Add", Op("Add", word, type), position), "embeddings.LayerNorm", config.LayerNormEps);

        // Additive mask [batch, 1, 1, tokens]: 0 for tokens, the float minimum for padding.
        var keep = Op("Unsqueeze", Cast("attention_mask"), Longs([1, 2]));
        var mask = Op("Mul", Op("Sub", Floats([1f]), keep), Floats([float.MinValue]));

        var heads = config.NumAttentionHeads;
        var headSize = config.HiddenSize / heads;
        var split = Longs([0, 0, heads, headSize]);
        var merge = Longs([0, 0, config.HiddenSize]);
        var scale = Floats([(float)Math.Sqrt(headSize)]);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var prefix = $"encoder.layer.{i}.";
            var query = Transpose(Op("Reshape", Linear(hidden, prefix + "attention.self.query"), split), [0, 2, 1, 3]);
            var key = Transpose(Op("Reshape", Linear(hidden, prefix + "attention.self.key"), split), [0, 2, 3, 1]);
            var value = Transpose(Op("Reshape", Linear(hidden, prefix + "attention.self.value"), split), [0, 2, 1, 3]);
            var scores = Op("Add", Op("Div", Op("MatMul", query, key), scale), mask);
            var probs = Op("Softmax", [scores], ("axis", -1));
            var context = Op("Reshape", Transpose(Op("MatMul", probs, value), [0, 2, 1, 3]), merge);
            var attention = LayerNorm(Op("Add", Linear(context, prefix + "attention.output.dense"), hidden), prefix + "attention.output.LayerNorm", config.LayerNormEps);
            var intermediate = Activation(Linear(attention, prefix + "intermediate.dense"), config.HiddenAct);
            hidden = LayerNorm(Op("Add", Linear(intermediate, prefix + "output.dense"), attention), prefix + "output.LayerNorm", config.LayerNormEps);
        }

        _graph.Node.Add(Node("Identity", [hidden], HiddenOutput));
        _graph.Output.Add(new ValueInfoProto
        {
            Name = HiddenOutput,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
    }

    private string Activation(string x, string name) => name switch
    {
        "relu" => Op("Relu", x),

        // 0.5 x (1 + erf(x / sqrt 2))
        "gelu" => Op("Mul", Op("Mul", x, Floats([0.5f])), Op("Add", Floats([1f]), Op("Erf", Op("Div", x, Floats([MathF.Sqrt(2f)]))))),

        // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
        _ => Op("Mul", Op("Mul", x, Floats([0.5f])), Op("Add", Floats([1f]), Op("Tanh",
            Op("Mul", Floats([MathF.Sqrt(2f / MathF.PI)]), Op("Add", x, Op("Mul", Floats([0.044715f]), Op("Mul", x, Op("Mul", x, x)))))))),
    };

    /// <summary>x W^T + b with the [out, in] weight stored transposed as [in, out].</summary>
    private string Linear(string x, string layer)
    {
        var weight = Need(layer + ".weight");
        using var transposed = weight.t().contiguous();
        var name = AddFloats(layer + ".weight_t", transposed);
        return Op("Add", Op("MatMul", x, name), Weight(layer + ".bias"));
    }

    private string LayerNorm(string x, string prefix, double eps)
    {
        var output = Fresh("LayerNormalization");
        var node = Node("LayerNormalization", [x, Weight(prefix + ".weight"), Weight(prefix + ".bias")], output);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
        node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)eps });
        _graph.Node.Add(node);
        return output;
    }

    private string Transpose(string x, long[] perm)
    {
        var output = Fresh("Transpose");
        var node = Node("Transpose", [x], output);
        node.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { perm } });
        _graph.Node.Add(node);
        return output;
    }

    private string Cast(string x)
    {
        var output = Fresh("Cast");
        var node = Node("Cast", [x], output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
        _graph.Node.Add(node);
        return output;
    }

    private string Op(string op, params string[] inputs) => Op(op, inputs, null);

    private string Op(string op, string[] inputs, (string Name, long Value)? attribute)
    {
        var output = Fresh(op);
        var node = Node(op, inputs, output);
        if (attribute is { } a)
        {
            node.Attribute.Add(new AttributeProto { Name = a.Name, Type = AttributeProto.Types.AttributeType.Int, I = a.Value });
        }

        _graph.Node.Add(node);
        return output;
    }

    private Tensor Need(string name)
    {
        if (!_weights.TryGetValue(name, out var tensor))
        {
            throw new KeyNotFoundException($"the encoder has no parameter '{name}'");
        }

        _used.Add(name);
        return tensor;
    }

    private string Weight(string name) => AddFloats(name, Need(name));

    private string AddFloats(string name, Tensor value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(value.shape);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(value.data<float>().ToArray().AsSpan()));
        _graph.Initializer.Add(tensor);
        return name;
    }

    private string Floats(float[] values)
    {
        var name = Fresh("const");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(values.Length);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private string Longs(long[] values, bool scalar = false)
    {
        var name = Fresh("const");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        if (!scalar)
        {
            tensor.Dims.Add(values.Length);
        }

        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private string Fresh(string op) => $"{op}_{_counter++}";

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = "node_" + output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto Int64Input(string name)
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
}
