namespace Pipeline.Configuration;

/// <summary>The <c>train</c> section: technique, optimiser (AdamW), schedule and run control.</summary>
public sealed record TrainOptions
{
    /// <summary>The fine-tuning technique. Default <c>lp-ft</c> (linear probe, then LoRA).</summary>
    [ConfigDescription("The fine-tuning technique: head, full, lora, lp-ft (linear probe, then LoRA) or partial (images: the last train.unfreeze_stages stages and the head). Default lp-ft.")]
    public TrainingTechnique Technique { get; init; } = TrainingTechnique.LpFt;

    /// <summary>Passes over the training split. Default 3; must be >= 1.</summary>
    [ConfigDescription("Passes over the training split. Default 3; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int Epochs { get; init; } = 3;

    /// <summary>Rows per batch. Default 16; must be >= 1.</summary>
    [ConfigDescription("Rows per batch. Default 16; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak AdamW learning rate of the encoder (or adapters). Default 0.002; must be > 0.</summary>
    [ConfigDescription("Peak AdamW learning rate of the encoder (or adapters). Default 0.002; must be > 0.")]
    [ConfigRange(Min = 0, MinExclusive = true)]
    public double LearningRate { get; init; } = 0.002;

    /// <summary>Learning rate of the classification head(s): the linear probe and the heads during fine-tuning. Default 0.002; must be > 0.</summary>
    [ConfigDescription("Learning rate of the classification head(s): the linear probe and the heads during fine-tuning. Default 0.002; must be > 0.")]
    [ConfigRange(Min = 0, MinExclusive = true)]
    public double HeadLearningRate { get; init; } = 0.002;

    /// <summary>
    /// Technique <c>partial</c> (image models): how many of the backbone's last residual stages
    /// train with the head (at <c>learning_rate</c>; the head at <c>head_learning_rate</c>); the
    /// rest stays frozen, its BatchNorm in eval mode. Default 1; within [1, 4].
    /// </summary>
    [ConfigDescription("Technique partial (image models): how many of the backbone's last residual stages train with the head (at learning_rate; the head at head_learning_rate); the rest stays frozen, BatchNorm in eval mode. Default 1; within [1, 4].")]
    [ConfigRange(Min = 1, Max = 4)]
    public int UnfreezeStages { get; init; } = 1;

    /// <summary>AdamW decoupled weight decay. Default 0.01; must be >= 0.</summary>
    [ConfigDescription("AdamW decoupled weight decay. Default 0.01; must be >= 0.")]
    [ConfigRange(Min = 0)]
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Fraction of the steps spent warming the learning rate up. Default 0.1; within [0, 1).</summary>
    [ConfigDescription("Fraction of the steps spent warming the learning rate up. Default 0.1; within [0, 1).")]
    [ConfigRange(Min = 0, Max = 1, MaxExclusive = true)]
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>Learning-rate decay after warm-up. Default <c>linear</c>.</summary>
    [ConfigDescription("Learning-rate decay after warm-up: linear, cosine or constant. Default linear.")]
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Linear;

    /// <summary>Gradients are clipped to this global L2 norm. Default 1.0; must be > 0.</summary>
    [ConfigDescription("Gradients are clipped to this global L2 norm. Default 1.0; must be > 0.")]
    [ConfigRange(Min = 0, MinExclusive = true)]
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Batches whose gradients are summed before each optimiser step. Default 1; must be >= 1.</summary>
    [ConfigDescription("Batches whose gradients are summed before each optimiser step. Default 1; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Seed of weights initialisation, dropout and data order. Default 42.</summary>
    [ConfigDescription("Seed of weights initialisation, dropout and data order. Default 42.")]
    public long Seed { get; init; } = 42;

    /// <summary>Bit-identical weights for the same inputs: the CPU with one libtorch thread (or train.threads) and the seeds; refused on CUDA. Default false.</summary>
    [ConfigDescription("Bit-identical weights for the same inputs: the CPU with one libtorch thread (or train.threads) and the seeds; refused on CUDA. Default false.")]
    public bool Deterministic { get; init; }

    /// <summary>Where to train. Default <c>auto</c> (CUDA when available, else CPU).</summary>
    [ConfigDescription("Where to train: auto (CUDA when available, else CPU), cpu or cuda. Default auto.")]
    public DevicePreference Device { get; init; } = DevicePreference.Auto;

    /// <summary>CPU threads for TorchSharp; 0 means all cores. Default 0; must be >= 0.</summary>
    [ConfigDescription("CPU threads for TorchSharp; 0 means all cores. Default 0; must be >= 0.")]
    [ConfigRange(Min = 0)]
    public int Threads { get; init; }

    /// <summary>Stop when the validation metric stops improving.</summary>
    [ConfigDescription("Stop when the validation metric stops improving.")]
    public EarlyStoppingOptions EarlyStopping { get; init; } = new();

    /// <summary>How often checkpoints are written and how many are kept.</summary>
    [ConfigDescription("How often checkpoints are written and how many are kept.")]
    public CheckpointOptions Checkpoint { get; init; } = new();

    /// <summary>LoRA adapters (used by the <c>lora</c> and <c>lp-ft</c> techniques).</summary>
    [ConfigDescription("LoRA adapters (used by the lora and lp-ft techniques).")]
    public LoraOptions Lora { get; init; } = new();

    /// <summary>Image models: training-time augmentation (full and partial; the head's cached features see centre crops).</summary>
    [ConfigDescription("Image models: training-time augmentation (full and partial; the head's cached features see centre crops).")]
    public AugmentOptions Augment { get; init; } = new();
}

/// <summary>The <c>train.augment</c> section: random resized crops and horizontal flips of training images.</summary>
public sealed record AugmentOptions
{
    /// <summary>Whether training images are augmented; otherwise they are centre-cropped like test images. Default true.</summary>
    [ConfigDescription("Whether training images are augmented; otherwise they are centre-cropped like test images. Default true.")]
    public bool Enabled { get; init; } = true;

    /// <summary>Smallest fraction of the image's area a random crop keeps. Default 0.08 (torchvision's); within (0, 1].</summary>
    [ConfigDescription("Smallest fraction of the image's area a random crop keeps. Default 0.08 (torchvision's); within (0, 1].")]
    [ConfigRange(Min = 0, MinExclusive = true, Max = 1)]
    public double MinScale { get; init; } = 0.08;

    /// <summary>Probability that a training image is flipped left to right. Default 0.5; within [0, 1].</summary>
    [ConfigDescription("Probability that a training image is flipped left to right. Default 0.5; within [0, 1].")]
    [ConfigRange(Min = 0, Max = 1)]
    public double FlipProbability { get; init; } = 0.5;
}

/// <summary>The <c>train.early_stopping</c> section.</summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>The validation metric watched (higher is better, e.g. <c>macro_f1</c>, <c>accuracy</c>). Default <c>macro_f1</c>.</summary>
    [ConfigDescription("The validation metric watched (higher is better, e.g. macro_f1, accuracy). Default macro_f1.")]
    public string Metric { get; init; } = "macro_f1";

    /// <summary>Epochs without improvement before stopping; 0 disables early stopping. Default 2; must be >= 0.</summary>
    [ConfigDescription("Epochs without improvement before stopping; 0 disables early stopping. Default 2; must be >= 0.")]
    [ConfigRange(Min = 0)]
    public int Patience { get; init; } = 2;
}

/// <summary>The <c>train.checkpoint</c> section.</summary>
public sealed record CheckpointOptions
{
    /// <summary>Optimiser steps between checkpoints. Default 200; must be >= 1.</summary>
    [ConfigDescription("Optimiser steps between checkpoints. Default 200; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int EverySteps { get; init; } = 200;

    /// <summary>Checkpoints kept on disk (older ones are deleted). Default 2; must be >= 1.</summary>
    [ConfigDescription("Checkpoints kept on disk (older ones are deleted). Default 2; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int KeepLast { get; init; } = 2;
}

/// <summary>The <c>train.lora</c> section: low-rank adapters on the encoder's linear layers.</summary>
public sealed record LoraOptions
{
    /// <summary>Rank of the adapter matrices. Default 8; must be >= 1.</summary>
    [ConfigDescription("Rank of the adapter matrices. Default 8; must be >= 1.")]
    [ConfigRange(Min = 1)]
    public int Rank { get; init; } = 8;

    /// <summary>Scaling numerator: the update is scaled by alpha / rank. Default 16; must be > 0.</summary>
    [ConfigDescription("Scaling numerator: the update is scaled by alpha / rank. Default 16; must be > 0.")]
    [ConfigRange(Min = 0, MinExclusive = true)]
    public double Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter input. Default 0.1; within [0, 1).</summary>
    [ConfigDescription("Dropout on the adapter input. Default 0.1; within [0, 1).")]
    [ConfigRange(Min = 0, Max = 1, MaxExclusive = true)]
    public double Dropout { get; init; } = 0.1;

    /// <summary>Names of the linear layers that get adapters. Default <c>[query, value]</c>; at least one.</summary>
    [ConfigDescription("Names of the linear layers that get adapters. Default [query, value]; at least one.")]
    [ConfigRange(Min = 1)]
    public IReadOnlyList<string> TargetModules { get; init; } = ["query", "value"];
}

/// <summary>How the model is fine-tuned.</summary>
public enum TrainingTechnique
{
    /// <summary>Train only the head on frozen encoder features (linear probe).</summary>
    Head,

    /// <summary>Train every weight.</summary>
    Full,

    /// <summary>Train LoRA adapters and the head; the encoder stays frozen.</summary>
    Lora,

    /// <summary>Linear probe first, then LoRA fine-tuning from the probed head.</summary>
    [ConfigName("lp-ft")]
    LpFt,

    /// <summary>Image models: the last <c>train.unfreeze_stages</c> stages of the backbone and the head train; the rest stays frozen.</summary>
    Partial,
}

/// <summary>Learning-rate decay after warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>Linear decay to zero.</summary>
    Linear,

    /// <summary>Cosine decay to zero.</summary>
    Cosine,

    /// <summary>No decay.</summary>
    Constant,
}

/// <summary>The device the trainer asks for.</summary>
public enum DevicePreference
{
    /// <summary>CUDA when available, else CPU.</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA; fails when no GPU is available.</summary>
    Cuda,
}
