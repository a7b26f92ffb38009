namespace Pipeline.Training.Training;

/// <summary>Warm-up then linear, cosine or constant decay, as a factor of the peak learning rate.</summary>
public static class LearningRateSchedule
{
    /// <summary>The factor in [0, 1] for optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double Factor(LrSchedule schedule, long step, long totalSteps, long warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (step < warmupSteps)
        {
            return (step + 1.0) / warmupSteps;
        }

        var progress = Math.Clamp((double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps), 0, 1);
        return schedule switch
        {
            LrSchedule.Linear => 1.0 - progress,
            LrSchedule.Cosine => 0.5 * (1.0 + Math.Cos(Math.PI * progress)),
            LrSchedule.Constant => 1.0,
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Use linear, cosine or constant."),
        };
    }
}
