using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>
/// A module that owns named linear projections (<c>query</c>, <c>dense</c>, ...) which adapters
/// such as LoRA may replace with a module of the same shape and parameter names.
/// </summary>
public interface IProjectionHost
{
    /// <summary>The projections by their registered name.</summary>
    IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Projections { get; }

    /// <summary>Swaps the projection registered as <paramref name="name"/>; returns the old one (not disposed).</summary>
    nn.Module<Tensor, Tensor> ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement);
}
