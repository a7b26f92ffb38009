using System.Runtime.InteropServices;
using Onnx;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Training.Loading;

/// <summary>
/// Reads a PyTorch-exported BERT ONNX graph into Hugging Face-named tensors. Embeddings, biases
/// and LayerNorms are named initializers; the linear weights are anonymous MatMul inputs stored
/// [in, out], named here by following each MatMul's output to the Add whose bias gives the layer,
/// and transposed to PyTorch's [out, in].
/// </summary>
public static class OnnxBertImporter
{
    private const string BiasSuffix = ".bias";

    /// <summary>Imports <paramref name="onnxModel"/> (the bytes of a .onnx file).</summary>
    /// <param name="onnxModel">The .onnx file's bytes.</param>
    /// <param name="numAttentionHeads">Heads per layer: the graph's weights do not say.</param>
    /// <param name="layerNormEps">LayerNorm epsilon of the exported model.</param>
    /// <param name="hiddenAct">Activation of the exported model.</param>
    /// <returns>The config (shapes read from the weights) and CPU float32 tensors the caller disposes.</returns>
    /// <exception cref="ModelLoadException">The graph is not a BERT export this importer understands.</exception>
    public static (BertConfig Config, Dictionary<string, Tensor> Tensors) Import(
        byte[] onnxModel, int numAttentionHeads, double layerNormEps = 1e-12, string hiddenAct = "gelu")
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        var graph = ModelProto.Parser.ParseFrom(onnxModel).Graph;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var init in graph.Initializer)
            {
                if (init.DataType == (int)TensorProto.Types.DataType.Float
                    && (init.Name.StartsWith("embeddings.", StringComparison.Ordinal) || init.Name.StartsWith("encoder.", StringComparison.Ordinal)))
                {
                    tensors[init.Name] = ToTensor(init);
                }
            }

            NameMatMulWeights(graph, tensors);
            var config = InferConfig(tensors, numAttentionHeads, layerNormEps, hiddenAct);
            RequireAllLinearWeights(config, tensors);
            return (config, tensors);
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// The graph's anonymous MatMul weights with the Hugging Face parameter each one holds: the
    /// Add that consumes a MatMul's output has the layer's bias as its other input, and the bias
    /// name gives the weight's (<c>encoder.layer.0.attention.self.query.bias</c> →
    /// <c>...query.weight</c>). The weights are stored [in, out], transposed from PyTorch's layout.
    /// The exporter uses the same mapping in reverse to write fine-tuned weights back.
    /// </summary>
    public static IEnumerable<(TensorProto Weight, string Parameter)> MatMulWeightParameters(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var adds = graph.Node.Where(n => n.OpType == "Add").ToList();
        foreach (var matMul in graph.Node.Where(n => n.OpType == "MatMul"))
        {
            if (matMul.Input.Count != 2 || !initializers.TryGetValue(matMul.Input[1], out var weight) || weight.Dims.Count != 2)
            {
                continue;
            }

            var output = matMul.Output[0];
            var bias = adds
                .Where(a => a.Input.Contains(output))
                .SelectMany(a => a.Input)
                .FirstOrDefault(i => i != output && i.EndsWith(BiasSuffix, StringComparison.Ordinal) && initializers.ContainsKey(i));
            if (bias is not null)
            {
                yield return (weight, bias[..^BiasSuffix.Length] + ".weight");
            }
        }
    }

    private static void NameMatMulWeights(GraphProto graph, Dictionary<string, Tensor> tensors)
    {
        foreach (var (weight, name) in MatMulWeightParameters(graph).Where(p => p.Parameter.StartsWith("encoder.", StringComparison.Ordinal)))
        {
            using var stored = ToTensor(weight);
            tensors[name] = stored.t().contiguous();
        }
    }

    private static BertConfig InferConfig(Dictionary<string, Tensor> tensors, int heads, double eps, string act)
    {
        Tensor Need(string name) => tensors.TryGetValue(name, out var t)
            ? t
            : throw new ModelLoadException($"The ONNX graph has no initializer '{name}'; it is not a PyTorch BERT export this importer understands.");

        var word = Need("embeddings.word_embeddings.weight");
        var layers = tensors.Keys
            .Where(k => k.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[2], System.Globalization.CultureInfo.InvariantCulture))
            .Distinct()
            .Count();
        return new BertConfig
        {
            VocabSize = (int)word.shape[0],
            HiddenSize = (int)word.shape[1],
            MaxPositionEmbeddings = (int)Need("embeddings.position_embeddings.weight").shape[0],
            TypeVocabSize = (int)Need("embeddings.token_type_embeddings.weight").shape[0],
            NumHiddenLayers = layers,
            IntermediateSize = (int)Need("encoder.layer.0.intermediate.dense.bias").shape[0],
            NumAttentionHeads = heads,
            LayerNormEps = eps,
            HiddenAct = act,
        }.Validate("ONNX import");
    }

    private static void RequireAllLinearWeights(BertConfig config, Dictionary<string, Tensor> tensors)
    {
        string[] linears = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"];
        var missing = Enumerable.Range(0, config.NumHiddenLayers)
            .SelectMany(i => linears.Select(l => $"encoder.layer.{i}.{l}.weight"))
            .Where(n => !tensors.ContainsKey(n))
            .ToList();
        if (missing.Count > 0)
        {
            throw new ModelLoadException(
                $"The ONNX graph's MatMul weights could not all be named ({missing.Count} of {config.NumHiddenLayers * linears.Length} missing, e.g. {string.Join(", ", missing.Take(5))}): " +
                "each MatMul output must feed an Add with a named '.bias' initializer. Export the model with PyTorch's ONNX exporter without graph optimisations.");
        }
    }

    internal static Tensor ToTensor(TensorProto proto)
    {
        var shape = proto.Dims.ToArray();
        float[] values;
        if (proto.RawData.Length > 0)
        {
            values = MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray();
        }
        else if (proto.FloatData.Count > 0)
        {
            values = proto.FloatData.ToArray();
        }
        else
        {
            throw new ModelLoadException($"ONNX initializer '{proto.Name}' keeps its data outside the file (external data), which is not supported.");
        }

        return tensor(values, shape, ScalarType.Float32);
    }
}
