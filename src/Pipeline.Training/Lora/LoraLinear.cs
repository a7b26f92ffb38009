using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Lora;

/// <summary>
/// A frozen linear layer plus a low-rank update: y = x Wᵀ + b + scaling · B(A(dropout(x))).
/// Parameters keep the base names (<c>weight</c>, <c>bias</c>) and add PEFT's <c>lora_A.weight</c>
/// [rank, in] (Kaiming-uniform) and <c>lora_B.weight</c> [out, rank] (zeros, so training starts
/// from the base model's output).
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear _base;
    private readonly Linear _loraA;
    private readonly Linear _loraB;
    private readonly Dropout _dropout;
    private readonly double _dropoutRate;

    /// <param name="baseLayer">The layer to adapt; owned from now on and frozen.</param>
    /// <param name="options">Rank, alpha and dropout.</param>
    public LoraLinear(Linear baseLayer, LoraOptions options)
        : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        ArgumentNullException.ThrowIfNull(options);
        _base = baseLayer;
        Scaling = options.Scaling;
        var (outFeatures, inFeatures) = (_base.weight!.shape[0], _base.weight.shape[1]);
        var device = _base.weight.device;
        _loraA = nn.Linear(inFeatures, options.Rank, hasBias: false, device: device);
        _loraB = nn.Linear(options.Rank, outFeatures, hasBias: false, device: device);
        _dropout = nn.Dropout(options.Dropout);
        _dropoutRate = options.Dropout;
        using (no_grad())
        {
            nn.init.kaiming_uniform_(_loraA.weight!, a: Math.Sqrt(5));
            nn.init.zeros_(_loraB.weight!);
        }

        _base.weight.requires_grad = false;
        register_parameter("weight", _base.weight);
        if (_base.bias is not null)
        {
            _base.bias.requires_grad = false;
            register_parameter("bias", _base.bias);
        }

        register_module("lora_A", _loraA);
        register_module("lora_B", _loraB);
        register_module("lora_dropout", _dropout);
    }

    /// <summary>alpha / rank.</summary>
    public double Scaling { get; }

    /// <summary>A [rank, in].</summary>
    public Parameter LoraA => _loraA.weight!;

    /// <summary>B [out, rank].</summary>
    public Parameter LoraB => _loraB.weight!;

    /// <summary>
    /// x Wᵀ + b, plus the update at rank r: A's [.., r] output goes through B inside one
    /// <c>addmm</c> that scales it and adds it to the frozen output, so no A·B is formed and no
    /// extra [.., out]-sized tensor is scaled or added (forward or backward).
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var frozen = nn.functional.linear(input, _base.weight!, _base.bias);
        var down = _loraA.forward(_dropoutRate > 0 ? _dropout.forward(input) : input);
        var outFeatures = frozen.shape[^1];
        var sum = frozen.reshape(-1, outFeatures).addmm(down.reshape(-1, down.shape[^1]), LoraB.t(), beta: 1, alpha: (float)Scaling);
        return sum.view(frozen.shape).MoveToOuterDisposeScope();
    }

    /// <summary>A plain linear layer with W + scaling · B·A and the base bias, on the same device.</summary>
    public Linear Merge()
    {
        using var scope = NewDisposeScope();
        var weight = _base.weight!;
        var merged = nn.Linear(weight.shape[1], weight.shape[0], hasBias: _base.bias is not null, device: weight.device);
        using (no_grad())
        {
            merged.weight!.copy_(weight + LoraB.matmul(LoraA) * Scaling);
            if (_base.bias is not null)
            {
                merged.bias!.copy_(_base.bias);
            }
        }

        return merged;
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with PEFT names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _base.Dispose();
            _loraA.Dispose();
            _loraB.Dispose();
            _dropout.Dispose();
        }

        base.Dispose(disposing);
    }
}
