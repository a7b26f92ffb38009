namespace Pipeline.Evaluation.Statistics;

/// <summary>A two-sided interval with its coverage, e.g. [0.012, 0.048] at 0.95.</summary>
public sealed record ConfidenceInterval(double Lower, double Upper, double Confidence);
