using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Evaluation.Gating;
using Pipeline.Evaluation.Reporting;

namespace Pipeline.Evaluation;

/// <summary>What one evaluation produced: the measurements, the gate's verdict, the report and the files written.</summary>
public sealed record EvaluationOutcome(EvaluationResult Result, GateResult Gate, ReportDocument Report, IReadOnlyList<string> Files);

/// <summary>
/// The Evaluate stage's one library call: score, compare, gate, write the report, and fail with
/// the gate's message when a rule failed (after the report is written, so it can be reviewed).
/// </summary>
public static partial class EvaluationRun
{
    /// <summary>Evaluates the challenger against the champion (or alone) and writes the report.</summary>
    /// <param name="challenger">The new model's test-split predictions.</param>
    /// <param name="champion">The champion's predictions on the same rows; null when there is no champion yet.</param>
    /// <param name="options">The <c>evaluate</c> section of pipeline.yaml.</param>
    /// <param name="inputs">Sections and data from the other stages; null for none.</param>
    /// <param name="artifactsDirectory">Where report.md, report.json and charts/ go.</param>
    /// <param name="stepSummaryPath">The value of <c>$GITHUB_STEP_SUMMARY</c>; null or empty when not on GitHub Actions.</param>
    /// <param name="logger">Receives one line per metric and per rule.</param>
    /// <param name="cancellationToken">Cancels the file writes.</param>
    /// <returns>The outcome when the verdict is Pass or PassAsChallenger.</returns>
    /// <exception cref="GateFailedException">A rule failed; the report has been written.</exception>
    /// <exception cref="EvaluationException">Invalid predictions or rules.</exception>
    public static async Task<EvaluationOutcome> RunAsync(
        ModelPredictions challenger,
        ModelPredictions? champion,
        EvaluateOptions options,
        ReportInputs? inputs,
        string artifactsDirectory,
        string? stepSummaryPath,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (champion is null)
        {
            LogNoChampion(logger, challenger.ModelName);
        }

        var result = Evaluator.Evaluate(challenger, champion, options.Bootstrap);
        foreach (var metric in result.Tasks.SelectMany(t => t.Metrics))
        {
            if (metric.Champion is { } championValue && metric.Interval is { } interval)
            {
                LogMetric(logger, metric.Task, metric.Metric, metric.Challenger, championValue, interval.Lower, interval.Upper);
            }
            else
            {
                LogChallengerMetric(logger, metric.Task, metric.Metric, metric.Challenger);
            }
        }

        var gate = Gate.Apply(result, options.Gates);
        foreach (var check in gate.Checks)
        {
            LogRule(logger, check.Condition, check.Outcome, check.Detail);
        }

        var report = ReportBuilder.Build(result, gate, challenger, options.Bootstrap, inputs);
        var files = await ReportWriter.WriteAsync(report, artifactsDirectory, stepSummaryPath, cancellationToken).ConfigureAwait(false);
        LogVerdict(logger, gate.VerdictText, Path.Combine(artifactsDirectory, ReportWriter.MarkdownFile));
        gate.EnsurePassed();
        return new EvaluationOutcome(result, gate, report, files);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "No champion yet: {Challenger} is gated on absolute floors only")]
    private static partial void LogNoChampion(ILogger logger, string challenger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "{Task} {Metric}: challenger {Challenger:0.0000}, champion {Champion:0.0000}, delta CI [{Lower:0.0000}, {Upper:0.0000}]")]
    private static partial void LogMetric(ILogger logger, string task, string metric, double challenger, double champion, double lower, double upper);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "{Task} {Metric}: challenger {Challenger:0.0000}")]
    private static partial void LogChallengerMetric(ILogger logger, string task, string metric, double challenger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Gate rule {Condition}: {Outcome} ({Detail})")]
    private static partial void LogRule(ILogger logger, string condition, RuleOutcome outcome, string detail);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Verdict: {Verdict}; report written to {Report}")]
    private static partial void LogVerdict(ILogger logger, string verdict, string report);
}
