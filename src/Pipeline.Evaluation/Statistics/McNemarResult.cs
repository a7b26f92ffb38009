namespace Pipeline.Evaluation.Statistics;

/// <summary>
/// McNemar's exact test on paired correctness.
/// </summary>
/// <param name="ChampionOnlyCorrect">b: rows the champion got right and the challenger got wrong.</param>
/// <param name="ChallengerOnlyCorrect">c: rows the challenger got right and the champion got wrong.</param>
/// <param name="PValue">Two-sided exact p-value: min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, 1/2); 1 when b + c = 0.</param>
public sealed record McNemarResult(int ChampionOnlyCorrect, int ChallengerOnlyCorrect, double PValue);
