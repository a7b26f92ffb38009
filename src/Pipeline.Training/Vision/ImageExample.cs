namespace Pipeline.Training.Vision;

/// <summary>
/// One image row: 8-bit RGB pixels, row-major HWC (<paramref name="Height"/> × <paramref name="Width"/> × 3 bytes),
/// and its label ids per task (one class id for a single-label task; a task without a label is absent).
/// </summary>
public sealed record ImageExample(byte[] Pixels, int Height, int Width, IReadOnlyDictionary<string, int[]> Labels);
