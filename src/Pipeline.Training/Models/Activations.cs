using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>The feed-forward activations that Hugging Face BERT configs name in <c>hidden_act</c>.</summary>
internal static class Activations
{
    public static readonly IReadOnlyList<string> Known = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"];

    public static bool IsKnown(string name) => Known.Contains(name, StringComparer.Ordinal);

    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => GeluTanh(x),
        "relu" => nn.functional.relu(x),
        _ => throw new ArgumentException($"Unsupported activation '{name}'.", nameof(name)),
    };

    private static Tensor GeluTanh(Tensor x)
    {
        using var scope = NewDisposeScope();
        var inner = (x + x.pow(3) * 0.044715) * Math.Sqrt(2.0 / Math.PI);
        return (x * 0.5 * (inner.tanh() + 1.0)).MoveToOuterDisposeScope();
    }
}
