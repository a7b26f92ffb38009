namespace Pipeline.Evaluation;

/// <summary>
/// One test row as a model scored it: the row's id (matches rows between models), the id of its
/// true label (index into the task's label names) and the model's probability for each label.
/// The predicted label is the arg-max of <see cref="Probabilities"/> (the lowest index on ties).
/// </summary>
public sealed record PredictionRow(string RowId, int TrueLabel, IReadOnlyList<float> Probabilities);

/// <summary>
/// A model's predictions for one classification task on the test split.
/// </summary>
/// <param name="Task">The task's name, e.g. <c>intent</c>; used to qualify metric names in multitask reports.</param>
/// <param name="LabelNames">The K label names; a row's <see cref="PredictionRow.TrueLabel"/> and probability index point into it.</param>
/// <param name="Rows">The scored rows, one per test row; row ids are unique.</param>
public sealed record TaskPredictions(string Task, IReadOnlyList<string> LabelNames, IReadOnlyList<PredictionRow> Rows);

/// <summary>A model's predictions for every task it was trained for (one entry for a single-task model).</summary>
/// <param name="ModelName">How the report names the model, e.g. <c>challenger (abc1234)</c>.</param>
/// <param name="Tasks">One entry per task, with distinct task names.</param>
public sealed record ModelPredictions(string ModelName, IReadOnlyList<TaskPredictions> Tasks);
