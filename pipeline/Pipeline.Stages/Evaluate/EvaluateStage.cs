using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.IO;
using Pipeline.Errors;
using Pipeline.Evaluation;
using Pipeline.Evaluation.Gating;
using Pipeline.Evaluation.Reporting;
using Pipeline.Stages.Data;
using Pipeline.Stages.Incremental;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Training;
using Pipeline.Training.Training;

namespace Pipeline.Stages.Evaluate;

/// <summary>
/// Evaluate: scores the test split with the challenger (<c>artifacts/train/model</c>) and the
/// champion (the registry's <c>champion</c> alias, or <c>--baseline DIR</c>) on the same rows,
/// applies the <c>evaluate</c> gates, writes <c>report.md</c>/<c>report.json</c> (and the job
/// summary on GitHub Actions) and <c>artifacts/evaluate/gate.json</c>. A failed gate fails the
/// stage after everything is written.
/// </summary>
internal sealed partial class EvaluateStage : IAsyncIncrementalStage
{
    /// <summary>GitHub Actions' job summary file.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    public string Name => StageNames.Evaluate;

    /// <summary>Reads <c>train</c>, <c>format</c>, the data report, the <c>evaluate</c> section, the champion's identity and the commit.</summary>
    public async Task<StageDeclaration> DeclareInputsAndOutputsAsync(StageSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var champion = await Champion.FindAsync(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        return new StageDeclaration
        {
            Inputs =
            [
                StageInput.Artifacts(StageArtifacts.Train),
                StageInput.Artifacts("format"),
                StageInput.Artifacts("data"),
                StageInputs.Config("evaluate", config.Evaluate),
                StageInputs.Config("clean.mask_pii", config.Clean.MaskPii),
                StageInput.Value("champion", champion?.Identity ?? Champion.NoneIdentity),
                StageInput.Value("commit", await CommitAsync(settings, config, cancellationToken).ConfigureAwait(false)),
                StageInputs.Code(typeof(EvaluationRun).Assembly, typeof(FineTuner).Assembly),
            ],
            Outputs = [StageArtifacts.ReportMarkdown, StageArtifacts.ReportJson, StageArtifacts.Evaluate],
        };
    }

    public async Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var artifacts = settings.ResolvedArtifactsDirectory;
        var modelFolder = StageArtifacts.PathOf(settings, StageArtifacts.Train, StageArtifacts.ModelFolder);
        if (!Directory.Exists(modelFolder))
        {
            throw new PipelineException($"'{modelFolder}' does not exist: run the Train stage first (./build.sh Train).");
        }

        var lineage = await TryLineageAsync(settings, config, logger, cancellationToken).ConfigureAwait(false);
        var data = TrainingData.Open(artifacts);
        var test = TestSplit.Read(data);
        if (test.Count == 0)
        {
            throw new PipelineException("The test split is empty: add labeled rows under data/ or raise split.test in pipeline.yaml.");
        }

        var challengerName = lineage is null ? "challenger" : $"challenger ({lineage.ShortCommit})";
        var challenger = test.Predict(modelFolder, challengerName, settings.RepositoryRoot, cancellationToken);
        var champion = await Champion.FindAsync(settings, logger, cancellationToken).ConfigureAwait(false);
        ModelPredictions? championPredictions = null;
        if (champion is not null)
        {
            var folder = await champion.FetchAsync(settings, logger, cancellationToken).ConfigureAwait(false);
            championPredictions = test.Predict(folder, champion.DisplayName, settings.RepositoryRoot, cancellationToken);
        }

        var evaluate = StageArtifacts.PathOf(settings, StageArtifacts.Evaluate);
        Directory.CreateDirectory(evaluate);
        await PredictionsFile.WriteAsync(challenger, Path.Combine(evaluate, "challenger-" + PredictionsFile.DefaultFileName), cancellationToken).ConfigureAwait(false);
        if (championPredictions is not null)
        {
            await PredictionsFile.WriteAsync(championPredictions, Path.Combine(evaluate, "champion-" + PredictionsFile.DefaultFileName), cancellationToken).ConfigureAwait(false);
        }

        var inputs = Inputs(settings, config, lineage, test);
        var gatePath = Path.Combine(evaluate, StageArtifacts.GateFile);
        var stepSummary = Environment.GetEnvironmentVariable(StepSummaryVariable);
        try
        {
            var outcome = await EvaluationRun.RunAsync(challenger, championPredictions, config.Evaluate, inputs, artifacts, stepSummary, logger, cancellationToken).ConfigureAwait(false);
            GateOf(outcome.Gate, outcome.Result, champion).Write(gatePath);
        }
        catch (GateFailedException ex)
        {
            // The report is written; record the verdict so nothing downstream mistakes an old gate.json for this run's.
            var result = Evaluator.Evaluate(challenger, championPredictions, config.Evaluate.Bootstrap);
            GateOf(ex.Result, result, champion).Write(gatePath);
            throw;
        }
    }

    private static GateFile GateOf(GateResult gate, EvaluationResult result, Champion? champion)
    {
        var single = result.Tasks.Count == 1;
        return new GateFile
        {
            Verdict = gate.Verdict,
            VerdictText = gate.VerdictText,
            FailureMessage = gate.FailureMessage,
            ComparedWith = champion?.DisplayName,
            TestMetrics = result.Tasks
                .SelectMany(t => t.Metrics.Select(m => (Key: single ? $"test.{m.Metric}" : $"test.{t.Task}.{m.Metric}", m.Challenger)))
                .GroupBy(m => m.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Challenger, StringComparer.Ordinal),
        };
    }

    private static ReportInputs Inputs(StageSettings settings, PipelineOptions config, GitContext? lineage, TestSplit test)
    {
        var artifacts = settings.ResolvedArtifactsDirectory;
        var dataReport = Path.Combine(DataArtifacts.Report(artifacts), "report.md");
        var facts = TrainFacts.TryRead(StageArtifacts.PathOf(settings, StageArtifacts.Train, StageArtifacts.FactsFile));
        return new ReportInputs
        {
            DataQualityMarkdown = File.Exists(dataReport) ? DemoteHeadings(File.ReadAllText(dataReport)) : null,
            TrainingFactsMarkdown = facts?.ToMarkdown(),
            Lineage = new Evaluation.Reporting.Lineage(lineage?.Commit, lineage?.DataFingerprint, RunLineage.ConfigHash(config)),
            LossCurve = LossCurve(StageArtifacts.PathOf(settings, StageArtifacts.Train, StageArtifacts.MetricsFile)),
            RowTexts = test.Text is { } text ? TestTexts(artifacts, text) : null,
            RowImages = test.Images is { } images ? TestImages(images) : null,
            MaskPii = config.Clean.MaskPii ? PiiMasker.Mask : null,
        };
    }

    /// <summary>
    /// The data report is a whole document; inside the review report's own "Data quality" section
    /// its title goes and its headings start at level 3.
    /// </summary>
    private static string DemoteHeadings(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n').ToList();
        var levels = lines.Where(l => l.StartsWith('#')).Select(l => l.TakeWhile(c => c == '#').Count()).ToList();
        if (levels.Count == 0)
        {
            return markdown;
        }

        var top = levels.Min();
        var title = lines.FindIndex(l => l.StartsWith('#') && l.TakeWhile(c => c == '#').Count() == top);
        if (levels.Count(level => level == top) == 1)
        {
            lines.RemoveAt(title);
            top++;
        }

        var shift = Math.Max(0, 3 - top);
        return string.Join('\n', lines.Select(line => line.StartsWith('#') ? new string('#', shift) + line : line)).Trim('\n');
    }

    /// <summary>Training loss per logged step, with the validation loss on the steps that validated.</summary>
    private static List<LossPoint>? LossCurve(string metricsPath)
    {
        if (!File.Exists(metricsPath))
        {
            return null;
        }

        var points = new SortedDictionary<long, (double? Train, double? Validation)>();
        foreach (var line in File.ReadLines(metricsPath).Where(l => l.Length > 0))
        {
            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            var step = root.GetProperty("step").GetInt64();
            points.TryGetValue(step, out var point);
            if (root.TryGetProperty("loss", out var loss) && loss.ValueKind == JsonValueKind.Number)
            {
                point.Train = loss.GetDouble();
            }

            if (root.TryGetProperty("validation_loss", out var validation) && validation.ValueKind == JsonValueKind.Number)
            {
                point.Validation = validation.GetDouble();
            }

            points[step] = point;
        }

        // A validation without a logged step nearby borrows the last training loss seen, so both curves share the axis.
        var result = new List<LossPoint>();
        double? lastTrain = null;
        foreach (var (step, (train, validation)) in points)
        {
            lastTrain = train ?? lastTrain;
            if (lastTrain is { } value)
            {
                result.Add(new LossPoint((int)step, value, validation));
            }
        }

        return result.Count > 0 ? result : null;
    }

    /// <summary>The cleaned text of each test row, by row id, for the report's misclassified rows.</summary>
    private static Dictionary<string, string>? TestTexts(string artifacts, SplitRows test)
    {
        var records = Path.Combine(DataArtifacts.Clean(artifacts), Cleaner.RecordsFile);
        if (!File.Exists(records))
        {
            return null;
        }

        var wanted = test.RowIds.ToHashSet();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in RecordJson.ReadRecords(records))
        {
            if (wanted.Contains(record.RowId))
            {
                texts[TestPredictor.RowId(record.RowId)] = record.Text;
            }
        }

        return texts;
    }

    /// <summary>The stored pixels of each test image, by row id, for the report's grid of misclassified images.</summary>
    private static Dictionary<string, ReportImage> TestImages(ImageSplitRows test)
    {
        var images = new Dictionary<string, ReportImage>(StringComparer.Ordinal);
        for (var i = 0; i < test.Examples.Count; i++)
        {
            var example = test.Examples[i];
            images[TestPredictor.RowId(test.RowIds[i])] = new ReportImage(example.Pixels, example.Width, example.Height);
        }

        return images;
    }

    /// <summary>The test split, text or images, and how a model folder is scored on it.</summary>
    private sealed record TestSplit(TrainingData Data, SplitRows? Text, ImageSplitRows? Images)
    {
        public int Count => Text?.Examples.Count ?? Images!.Examples.Count;

        public static TestSplit Read(TrainingData data) =>
            data.IsImages ? new TestSplit(data, null, data.ReadImages(Split.Test)) : new TestSplit(data, data.Read(Split.Test), null);

        public ModelPredictions Predict(string modelFolder, string modelName, string repositoryRoot, CancellationToken cancellationToken) => Text is { } text
            ? TestPredictor.Predict(modelFolder, modelName, repositoryRoot, Data, text, cancellationToken)
            : TestPredictor.PredictImages(modelFolder, modelName, Data, Images!, cancellationToken);
    }

    private static async Task<GitContext?> TryLineageAsync(StageSettings settings, PipelineOptions config, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await RunLineage.ReadAsync(settings, config, cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineException ex)
        {
            NoLineage(logger, ex.Message);
            return null;
        }
    }

    private static async Task<string> CommitAsync(StageSettings settings, PipelineOptions config, CancellationToken cancellationToken)
    {
        try
        {
            var context = await RunLineage.ReadAsync(settings, config, cancellationToken).ConfigureAwait(false);
            return context.IsDirty ? context.Commit + "+dirty:" + context.DataFingerprint : context.Commit;
        }
        catch (PipelineException)
        {
            return "unknown";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lineage unknown in the report: {Reason}")]
    private static partial void NoLineage(ILogger logger, string reason);
}
