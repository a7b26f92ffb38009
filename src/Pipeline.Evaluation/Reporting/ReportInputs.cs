namespace Pipeline.Evaluation.Reporting;

/// <summary>Lineage of the evaluated model; any field may be unknown.</summary>
/// <param name="Commit">The Git commit the run was built from.</param>
/// <param name="DataFingerprint">The data stages' fingerprint of the training data.</param>
/// <param name="ConfigHash">The hash of the effective pipeline.yaml.</param>
public sealed record Lineage(string? Commit, string? DataFingerprint, string? ConfigHash);

/// <summary>One point of the training curves; <paramref name="ValidationLoss"/> is null on steps without validation.</summary>
public sealed record LossPoint(int Step, double TrainLoss, double? ValidationLoss);

/// <summary>
/// What other stages contribute to the report; every field is optional and its section is left
/// out when it is missing.
/// </summary>
public sealed record ReportInputs
{
    /// <summary>The data stages' section (rows added per label since the champion, …) as a Markdown fragment.</summary>
    public string? DataQualityMarkdown { get; init; }

    /// <summary>The training stage's facts (technique, base model, epochs, duration, examples/s, device, peak memory) as a Markdown fragment.</summary>
    public string? TrainingFactsMarkdown { get; init; }

    /// <summary>Commit, data fingerprint and config hash.</summary>
    public Lineage? Lineage { get; init; }

    /// <summary>Training and validation loss by step, for the loss chart.</summary>
    public IReadOnlyList<LossPoint>? LossCurve { get; init; }

    /// <summary>The text of each test row by row id, for the sample of misclassified rows; without it the sample lists ids only.</summary>
    public IReadOnlyDictionary<string, string>? RowTexts { get; init; }

    /// <summary>
    /// The pixels of each test image by row id, for the grid of misclassified thumbnails (image
    /// data only; without it an image report lists the row ids alone).
    /// </summary>
    public IReadOnlyDictionary<string, ReportImage>? RowImages { get; init; }

    /// <summary>Masks personal data in a row's text before it enters the report (set when masking is on).</summary>
    public Func<string, string>? MaskPii { get; init; }

    /// <summary>Misclassified rows listed per task (the most confident mistakes first). Default 20; within [0, 1000].</summary>
    public int MisclassifiedSample { get; init; } = 20;

    /// <summary>Most confused (true, predicted) label pairs listed per task. Default 10; within [0, 1000].</summary>
    public int ConfusedPairs { get; init; } = 10;

    /// <summary>Row texts are cut to this many characters, with an ellipsis. Default 160; within [20, 10000].</summary>
    public int TextLength { get; init; } = 160;
}

/// <summary>An image as RGB bytes, row-major, 3 bytes per pixel.</summary>
/// <param name="Rgb">Width × Height × 3 bytes.</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
public sealed record ReportImage(byte[] Rgb, int Width, int Height);
