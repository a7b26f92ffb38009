namespace Pipeline.Evaluation.Tests;

/// <summary>Small builders for prediction sets used across the specs.</summary>
internal static class Build
{
    public static PredictionRow Row(string id, int trueLabel, params float[] probabilities) => new(id, trueLabel, probabilities);

    /// <summary>A row whose prediction is <paramref name="predicted"/> with the given confidence; the rest of the mass is spread evenly.</summary>
    public static PredictionRow Predicted(string id, int trueLabel, int predicted, int k, float confidence = 0.7f)
    {
        var p = new float[k];
        var rest = (1f - confidence) / (k - 1);
        for (var j = 0; j < k; j++)
        {
            p[j] = j == predicted ? confidence : rest;
        }

        return new PredictionRow(id, trueLabel, p);
    }

    public static TaskPredictions Task(IReadOnlyList<string> labels, IEnumerable<PredictionRow> rows, string task = "intent") =>
        new(task, labels, rows.ToList());

    public static ModelPredictions Model(string name, params TaskPredictions[] tasks) => new(name, tasks);

    /// <summary>
    /// n rows over k labels (true label i mod k); the model is right on the rows where
    /// <paramref name="correct"/> says so and otherwise predicts the next label.
    /// </summary>
    public static TaskPredictions Scored(int n, int k, Func<int, bool> correct, string[]? labels = null)
    {
        labels ??= Enumerable.Range(0, k).Select(i => $"label{i}").ToArray();
        var rows = Enumerable.Range(0, n).Select(i =>
        {
            var t = i % k;
            return Predicted($"r{i}", t, correct(i) ? t : (t + 1) % k, k);
        });
        return Task(labels, rows);
    }
}
