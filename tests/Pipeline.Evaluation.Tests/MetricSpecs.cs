namespace Pipeline.Evaluation.Tests;

public sealed class MetricSpecs
{
    private static readonly string[] Abc = ["a", "b", "c"];

    [Fact]
    public void I_can_score_the_scikit_learn_f1_example_and_get_its_published_values()
    {
        // Arrange: sklearn.metrics.f1_score docs: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1]
        // gives macro 0.2667, micro 0.3333, per class [0.8, 0, 0].
        int[] truth = [0, 1, 2, 0, 1, 2];
        int[] predicted = [0, 2, 1, 0, 0, 1];
        var predictions = Build.Task(Abc, truth.Select((t, i) => Build.Predicted($"r{i}", t, predicted[i], 3)));

        // Act
        var m = MetricCalculator.Compute(predictions);

        // Assert
        Assert.Equal(0.8 / 3, m.MacroF1, 12);
        Assert.Equal(1.0 / 3, m.MicroF1, 12);
        Assert.Equal(1.0 / 3, m.Accuracy, 12);
        Assert.Equal([0.8, 0.0, 0.0], m.PerClass.Select(c => Math.Round(c.F1, 12)));
        Assert.Equal(2.0 / 3, m.PerClass[0].Precision, 12);
        Assert.Equal(1.0, m.PerClass[0].Recall, 12);
        Assert.Equal([2, 2, 2], m.PerClass.Select(c => c.Support));
        Assert.Equal(2.0 / 9, m.MacroPrecision, 12);
        Assert.Equal(1.0 / 3, m.MacroRecall, 12);
        Assert.Equal([2, 0, 0], m.ConfusionMatrix[0]);
        Assert.Equal([1, 0, 1], m.ConfusionMatrix[1]);
        Assert.Equal([0, 2, 0], m.ConfusionMatrix[2]);
    }

    [Fact]
    public void I_can_score_a_hand_computed_case_with_a_never_predicted_and_an_absent_label()
    {
        // Arrange: labels a, b, c, d; d never occurs; c occurs but is never predicted.
        // truth a a a b b c, predicted a a b b a b:
        //   a: tp 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 2/3
        //   b: tp 1, predicted 3, support 2 -> P 1/3, R 1/2, F1 0.4
        //   c: tp 0, predicted 0, support 1 -> P 0 (zero_division=0), R 0, F1 0
        //   d: absent -> listed with zeros, left out of the macro averages.
        int[] truth = [0, 0, 0, 1, 1, 2];
        int[] predicted = [0, 0, 1, 1, 0, 1];
        var predictions = Build.Task(["a", "b", "c", "d"], truth.Select((t, i) => Build.Predicted($"r{i}", t, predicted[i], 4)));

        // Act
        var m = MetricCalculator.Compute(predictions);

        // Assert
        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(0.0, m.PerClass[2].Precision);
        Assert.Equal(0, m.PerClass[2].PredictedCount);
        Assert.True(m.PerClass[3].Absent);
        Assert.Equal(((2.0 / 3) + 0.4 + 0) / 3, m.MacroF1, 12);
        Assert.Equal(((2.0 / 3) + (1.0 / 3) + 0) / 3, m.MacroPrecision, 12);
        Assert.Equal(((2.0 / 3) + 0.5 + 0) / 3, m.MacroRecall, 12);
        Assert.Equal(0.5, m.MicroF1, 12);
    }

    [Fact]
    public void I_can_compute_the_expected_calibration_error_and_the_mean_loss_by_hand()
    {
        // Arrange: confidences 0.9 (right), 0.9 (wrong), 0.55 (right), 0.58 (right).
        // Bins of width 1/15: 0.9 -> bin 13 (acc 0.5, conf 0.9); 0.55 and 0.58 -> bin 8 (acc 1, conf 0.565).
        // ECE = 2/4·|0.5 − 0.9| + 2/4·|1 − 0.565| = 0.2 + 0.2175 = 0.4175.
        // Loss = mean(−ln 0.9, −ln 0.1, −ln 0.55, −ln 0.58).
        var predictions = Build.Task(["x", "y"],
        [
            Build.Row("r0", 0, 0.9f, 0.1f),
            Build.Row("r1", 1, 0.9f, 0.1f),
            Build.Row("r2", 1, 0.45f, 0.55f),
            Build.Row("r3", 0, 0.58f, 0.42f),
        ]);

        // Act
        var m = MetricCalculator.Compute(predictions);

        // Assert
        Assert.Equal(0.4175, m.ExpectedCalibrationError, 6);
        var loss = (-Math.Log(0.9) - Math.Log(0.1) - Math.Log(0.55) - Math.Log(0.58)) / 4;
        Assert.Equal(loss, m.MeanLoss, 6);
    }

    [Fact]
    public void I_get_zero_calibration_error_when_confidence_equals_accuracy_in_every_bin()
    {
        // Arrange: ten rows at confidence 0.7, seven of them right.
        var predictions = Build.Scored(10, 2, i => i < 7);

        // Act
        var m = MetricCalculator.Compute(predictions);

        // Assert
        Assert.Equal(0.0, m.ExpectedCalibrationError, 6);
    }

    [Fact]
    public void I_get_an_error_naming_the_row_when_probabilities_are_not_a_distribution()
    {
        // Arrange
        var predictions = Build.Task(["x", "y"], [Build.Row("r0", 0, 0.9f, 0.1f), Build.Row("bad", 1, 2.0f, 3.0f)]);

        // Act
        var error = Assert.Throws<EvaluationException>(() => MetricCalculator.Compute(predictions));

        // Assert
        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
        Assert.Contains("softmax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_get_an_error_for_a_duplicate_row_id_an_out_of_range_label_or_a_repeated_label_name()
    {
        // Arrange
        var duplicate = Build.Task(["x", "y"], [Build.Row("r0", 0, 0.9f, 0.1f), Build.Row("r0", 1, 0.2f, 0.8f)]);
        var outOfRange = Build.Task(["x", "y"], [Build.Row("r0", 2, 0.9f, 0.1f)]);
        var sameLabel = Build.Task(["x", "x"], [Build.Row("r0", 0, 0.9f, 0.1f)]);

        // Act
        var first = Assert.Throws<EvaluationException>(() => MetricCalculator.Compute(duplicate));
        var second = Assert.Throws<EvaluationException>(() => MetricCalculator.Compute(outOfRange));
        var third = Assert.Throws<EvaluationException>(() => MetricCalculator.Compute(sameLabel));

        // Assert
        Assert.Contains("twice", first.Message, StringComparison.Ordinal);
        Assert.Contains("outside 0..1", second.Message, StringComparison.Ordinal);
        Assert.Contains("label 'x' twice", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_get_the_same_values_from_the_resample_scorer_as_from_the_full_metrics()
    {
        // Arrange
        var predictions = Build.Scored(37, 4, i => i % 3 != 1);
        var rows = ScoredRows.From(predictions, "model");
        var values = new double[MetricNames.All.Count];

        // Act
        var metrics = MetricCalculator.Compute(rows);
        MetricCalculator.ScalarAll(rows, MetricCalculator.AllIndices(rows.Count), values);

        // Assert
        Assert.Equal(MetricNames.All.Select(metrics.Get), values);
    }
}
