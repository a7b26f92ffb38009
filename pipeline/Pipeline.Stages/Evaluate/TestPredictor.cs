using System.Globalization;
using Pipeline.Errors;
using Pipeline.Evaluation;
using Pipeline.Stages.Training;
using Pipeline.Training.Heads;
using Pipeline.Training.Models;
using Pipeline.Training.Vision;
using static TorchSharp.torch;

namespace Pipeline.Stages.Evaluate;

/// <summary>Scores the test split with a saved classifier: one probability vector per row and task.</summary>
internal static class TestPredictor
{
    private const int BatchSize = 64;

    /// <summary>
    /// Loads the classifier in <paramref name="modelFolder"/> and predicts <paramref name="test"/>.
    /// The model's label names must match Format's label map (same names, same order), or the
    /// comparison on the same rows would be meaningless.
    /// A folder that references its base (an adapter logged without merged weights) is rebuilt from
    /// the base, resolved from the current directory or <paramref name="repositoryRoot"/>.
    /// </summary>
    /// <exception cref="PipelineException">The model was trained on other labels or tasks, or its base cannot be resolved.</exception>
    public static ModelPredictions Predict(string modelFolder, string modelName, string repositoryRoot, TrainingData data, SplitRows test, CancellationToken cancellationToken)
    {
        TextClassifier loaded;
        try
        {
            loaded = ClassifierFolder.Load(modelFolder, baseSearchRoots: [repositoryRoot]);
        }
        catch (ModelLoadException e)
        {
            throw new PipelineException($"The model in '{modelFolder}' ({modelName}) cannot be loaded: {e.Message}", e);
        }

        using var model = loaded;
        model.eval();
        CheckTasks(modelFolder, modelName, data, model.Tasks);
        var probabilities = data.Tasks.ToDictionary(t => t, _ => new List<float[]>(test.Examples.Count), StringComparer.Ordinal);
        var padId = model.Encoder.Config.PadTokenId;
        using (no_grad())
        {
            for (var start = 0; start < test.Examples.Count; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var rows = test.Examples.Skip(start).Take(BatchSize).ToList();
                var longest = rows.Max(r => r.InputIds.Count);
                var ids = new long[rows.Count * longest];
                var mask = new long[rows.Count * longest];
                Array.Fill(ids, padId);
                for (var i = 0; i < rows.Count; i++)
                {
                    for (var j = 0; j < rows[i].InputIds.Count; j++)
                    {
                        ids[(i * longest) + j] = rows[i].InputIds[j];
                        mask[(i * longest) + j] = 1;
                    }
                }

                var logits = model.forward(tensor(ids, [rows.Count, longest]), tensor(mask, [rows.Count, longest]), null);
                foreach (var task in data.Tasks)
                {
                    var flat = logits[task].softmax(-1).to_type(ScalarType.Float32).cpu().data<float>().ToArray();
                    var width = flat.Length / rows.Count;
                    for (var i = 0; i < rows.Count; i++)
                    {
                        probabilities[task].Add(flat.AsSpan(i * width, width).ToArray());
                    }
                }
            }
        }

        return Collect(modelName, data, test.RowIds, i => test.Examples[i].Labels, probabilities);
    }

    /// <summary>
    /// Loads the image classifier in <paramref name="modelFolder"/> and predicts <paramref name="test"/>
    /// (each stored square centre-cropped to the network's input, as in serving).
    /// </summary>
    /// <exception cref="PipelineException">The folder is not an image classifier, or it was trained on other labels or tasks.</exception>
    public static ModelPredictions PredictImages(string modelFolder, string modelName, TrainingData data, ImageSplitRows test, CancellationToken cancellationToken)
    {
        ImageClassifier model;
        try
        {
            model = ImageClassifier.Load(modelFolder);
        }
        catch (ModelLoadException ex)
        {
            throw new PipelineException($"The model in '{modelFolder}' ({modelName}) is not an image classifier, so it cannot be scored on the image test split: {ex.Message}", ex);
        }

        using (model)
        {
            CheckTasks(modelFolder, modelName, data, model.Tasks);
            var probabilities = data.Tasks.ToDictionary(t => t, _ => new List<float[]>(test.Examples.Count), StringComparer.Ordinal);
            foreach (var chunk in test.Examples.Chunk(BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var row in model.Predict([.. chunk.Select(e => (e.Pixels, e.Height, e.Width))]))
                {
                    foreach (var task in data.Tasks)
                    {
                        probabilities[task].Add(row[task]);
                    }
                }
            }

            return Collect(modelName, data, test.RowIds, i => test.Examples[i].Labels, probabilities);
        }
    }

    /// <summary>One <see cref="TaskPredictions"/> per task over the rows labeled for it.</summary>
    private static ModelPredictions Collect(
        string modelName, TrainingData data, IReadOnlyList<long> rowIds, Func<int, IReadOnlyDictionary<string, int[]>> labels, Dictionary<string, List<float[]>> probabilities)
    {
        var tasks = data.Tasks.Select(task => new TaskPredictions(
            task,
            data.LabelNames(task),
            [.. Enumerable.Range(0, rowIds.Count)
                .Where(i => labels(i).ContainsKey(task))
                .Select(i => new PredictionRow(RowId(rowIds[i]), labels(i)[task][0], probabilities[task][i]))])).ToList();
        return new ModelPredictions(modelName, tasks);
    }

    /// <summary>The model must have a head per task with the data's label names in the same order.</summary>
    private static void CheckTasks(string modelFolder, string modelName, TrainingData data, IReadOnlyList<TaskHeadSpec> heads)
    {
        foreach (var task in data.Tasks)
        {
            var spec = heads.FirstOrDefault(t => t.Name == task)
                ?? throw new PipelineException($"The model in '{modelFolder}' ({modelName}) has no head for task '{task}' (it has {string.Join(", ", heads.Select(t => t.Name))}); it was trained for another task shape.");
            if (spec.LabelNames is { } names && !names.SequenceEqual(data.LabelNames(task), StringComparer.Ordinal))
            {
                throw new PipelineException(
                    $"The model in '{modelFolder}' ({modelName}) predicts labels [{string.Join(", ", names)}] for task '{task}', but the data has [{string.Join(", ", data.LabelNames(task))}]. " +
                    "A champion trained on another label set cannot be compared on the same rows; promote a compatible version or evaluate without --baseline.");
            }
        }
    }

    /// <summary>The row id as the report and the text lookup spell it.</summary>
    public static string RowId(long rowId) => rowId.ToString(CultureInfo.InvariantCulture);
}
