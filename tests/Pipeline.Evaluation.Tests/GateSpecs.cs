using Pipeline.Configuration;
using Pipeline.Errors;
using Pipeline.Evaluation.Gating;

namespace Pipeline.Evaluation.Tests;

public sealed class GateSpecs
{
    private static readonly BootstrapOptions Bootstrap = new() { Resamples = 2000, Seed = 13, Confidence = 0.95 };

    /// <summary>The default rules of pipeline.yaml, with the floor given.</summary>
    private static List<GateRuleOptions> Rules(double floor) =>
    [
        new() { Metric = "macro_f1", Min = floor },
        new() { Metric = "accuracy", MaxDrop = 0.01 },
        new() { Metric = "macro_f1", SignificantImprovement = true },
    ];

    [Fact]
    public void I_can_pass_as_champion_with_a_clear_improvement_on_a_large_test_set()
    {
        // Arrange: 2000 rows; champion right on 80%, challenger on 90% (a superset).
        var champion = Build.Model("champion", Build.Scored(2000, 4, i => i % 5 != 0));
        var challenger = Build.Model("challenger", Build.Scored(2000, 4, i => i % 10 != 0));
        var result = Evaluator.Evaluate(challenger, champion, Bootstrap);

        // Act
        var gate = Gate.Apply(result, Rules(0.80));

        // Assert
        Assert.Equal(GateVerdict.Pass, gate.Verdict);
        Assert.All(gate.Checks, c => Assert.Equal(RuleOutcome.Pass, c.Outcome));
        Assert.True(gate.Checks[2].Interval!.Lower > 0);
        Assert.Null(gate.FailureMessage);
        gate.EnsurePassed();
    }

    [Fact]
    public void I_get_pass_as_challenger_not_champion_for_a_half_point_gain_on_a_small_test_set()
    {
        // Arrange: 200 rows; the challenger is right on the champion's 160 rows plus one (0.805 vs 0.800).
        var champion = Build.Model("champion", Build.Scored(200, 4, i => i % 5 != 0));
        var challenger = Build.Model("challenger", Build.Scored(200, 4, i => i % 5 != 0 || i == 0));
        var result = Evaluator.Evaluate(challenger, champion, Bootstrap);

        // Act
        var gate = Gate.Apply(result, Rules(0.70));

        // Assert
        Assert.Equal(0.005, result.Tasks[0].Get(MetricNames.Accuracy).Delta!.Value, 12);
        Assert.Equal(GateVerdict.PassAsChallenger, gate.Verdict);
        var significance = gate.Checks[2];
        Assert.Equal(RuleOutcome.NotSignificant, significance.Outcome);
        Assert.True(significance.Interval!.Lower <= 0);
        Assert.Equal("PASS as challenger", gate.VerdictText);
        gate.EnsurePassed();
    }

    [Fact]
    public void I_get_a_failure_naming_the_floor_and_the_value_when_the_challenger_is_below_it()
    {
        // Arrange: 20 rows over 2 labels, 16 right: every label has P = R = F1 = 0.8.
        var challenger = Build.Model("challenger", Build.Scored(20, 2, i => i < 16));
        var result = Evaluator.Evaluate(challenger, null, Bootstrap);

        // Act
        var gate = Gate.Apply(result, Rules(0.85));
        var error = Assert.Throws<GateFailedException>(gate.EnsurePassed);

        // Assert
        Assert.Equal(GateVerdict.Fail, gate.Verdict);
        Assert.Equal("Gate failed: macro_f1 >= 0.85 (got 0.8)", gate.FailureMessage);
        Assert.Equal(gate.FailureMessage, error.Message);
        Assert.IsAssignableFrom<PipelineException>(error);
        Assert.Equal("FAIL", gate.VerdictText);
    }

    [Fact]
    public void I_get_a_failure_naming_the_regression_when_accuracy_drops_more_than_allowed()
    {
        // Arrange: 20 rows over 2 labels; the champion is right on 18, the challenger on 16 (a subset).
        var champion = Build.Model("champion", Build.Scored(20, 2, i => i < 18));
        var challenger = Build.Model("challenger", Build.Scored(20, 2, i => i < 16));
        var result = Evaluator.Evaluate(challenger, champion, Bootstrap);

        // Act
        var gate = Gate.Apply(result, Rules(0.5));

        // Assert
        Assert.Equal(GateVerdict.Fail, gate.Verdict);
        Assert.Equal("Gate failed: accuracy >= champion - 0.01 (got 0.8, champion 0.9, delta -0.1)", gate.FailureMessage);
        Assert.Equal(RuleOutcome.Pass, gate.Checks[0].Outcome);
        Assert.Equal(RuleOutcome.NotSignificant, gate.Checks[2].Outcome);
    }

    [Fact]
    public void I_can_gate_a_first_model_on_floors_only_and_see_the_other_rules_as_not_applicable()
    {
        // Arrange
        var challenger = Build.Model("challenger", Build.Scored(50, 5, i => i % 10 != 0));
        var result = Evaluator.Evaluate(challenger, null, Bootstrap);

        // Act
        var gate = Gate.Apply(result, Rules(0.80));

        // Assert
        Assert.False(result.HasChampion);
        Assert.Equal(GateVerdict.Pass, gate.Verdict);
        Assert.Equal([RuleOutcome.Pass, RuleOutcome.NotApplicable, RuleOutcome.NotApplicable], gate.Checks.Select(c => c.Outcome));
        Assert.Equal("not applicable (no champion)", gate.Checks[1].Detail);
    }

    [Fact]
    public void I_can_gate_each_task_of_a_multitask_model_or_name_one_task()
    {
        // Arrange: intent is good, urgency is poor.
        var intent = Build.Scored(40, 4, i => i % 10 != 0);
        var urgency = Build.Scored(40, 2, i => i % 2 == 0) with { Task = "urgency" };
        var result = Evaluator.Evaluate(Build.Model("challenger", intent, urgency), null, Bootstrap);

        // Act
        var everyTask = Gate.Apply(result, [new GateRuleOptions { Metric = "accuracy", Min = 0.8 }]);
        var intentOnly = Gate.Apply(result, [new GateRuleOptions { Metric = "intent/accuracy", Min = 0.8 }]);

        // Assert
        Assert.Equal(2, everyTask.Checks.Count);
        Assert.Equal("Gate failed: urgency/accuracy >= 0.8 (got 0.5)", everyTask.FailureMessage);
        Assert.Equal(GateVerdict.Pass, intentOnly.Verdict);
        Assert.Single(intentOnly.Checks);
    }

    [Fact]
    public void I_get_an_error_for_a_rule_on_an_unknown_metric_task_or_a_floor_on_loss()
    {
        // Arrange
        var result = Evaluator.Evaluate(Build.Model("challenger", Build.Scored(10, 2, _ => true)), null, Bootstrap);

        // Act
        var metric = Assert.Throws<EvaluationException>(() => Gate.Apply(result, [new GateRuleOptions { Metric = "f2", Min = 0.5 }]));
        var task = Assert.Throws<EvaluationException>(() => Gate.Apply(result, [new GateRuleOptions { Metric = "topic/accuracy", Min = 0.5 }]));
        var loss = Assert.Throws<EvaluationException>(() => Gate.Apply(result, [new GateRuleOptions { Metric = "loss", Min = 0.5 }]));
        var empty = Assert.Throws<EvaluationException>(() => Gate.Apply(result, [new GateRuleOptions { Metric = "accuracy" }]));

        // Assert
        Assert.Contains("evaluate.gates[0].metric 'f2' is unknown", metric.Message, StringComparison.Ordinal);
        Assert.Contains("task 'topic'", task.Message, StringComparison.Ordinal);
        Assert.Contains("lower-is-better", loss.Message, StringComparison.Ordinal);
        Assert.Contains("no condition", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_gate_with_the_rules_and_bootstrap_of_the_committed_pipeline_yaml()
    {
        // Arrange
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Pipeline.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Pipeline.sln not found above the test folder.");
        }

        var options = PipelineConfig.Load(Path.Combine(root, PipelineConfig.DefaultFileName), new Dictionary<string, string>()).Evaluate;
        var champion = Build.Model("champion", Build.Scored(200, 4, i => i % 5 != 0));
        var challenger = Build.Model("challenger", Build.Scored(200, 4, i => i % 5 != 0 || i == 0));

        // Act
        var gate = Gate.Apply(Evaluator.Evaluate(challenger, champion, options.Bootstrap), options.Gates);

        // Assert
        Assert.Equal(options.Gates.Count, gate.Checks.Count);
        Assert.Equal(GateVerdict.PassAsChallenger, gate.Verdict);
    }
}
