using Microsoft.Extensions.Logging;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Tests.Incremental;

/// <summary>
/// A stage that really reads its inputs and writes an output derived from them (so a change
/// upstream changes its output), counting its runs.
/// </summary>
public sealed class FakeStage(string name, Func<StageSettings, StageDeclaration> declare, Func<StageSettings, string> produce, string output) : IIncrementalStage
{
    private int _runs;

    public string Name { get; } = name;

    public int Runs => _runs;

    public Func<CancellationToken, Task>? BeforeWrite { get; set; }

    public StageDeclaration DeclareInputsAndOutputs(StageSettings settings) => declare(settings);

    public async Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        if (BeforeWrite is not null)
        {
            await BeforeWrite(cancellationToken);
        }

        var path = Path.Combine(settings.ResolvedArtifactsDirectory, output);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, produce(settings), cancellationToken);
    }
}

/// <summary>Ingest → Clean → Train over a temp repository, the shape of the real pipeline.</summary>
public sealed class FakePipeline
{
    public FakePipeline(string root)
    {
        Settings = new StageSettings { RepositoryRoot = root };
        Ingest = new FakeStage(
            StageNames.Ingest,
            _ => new StageDeclaration { Inputs = [StageInput.Files("data/labeled/*.jsonl"), StageInput.CodeVersion("v1")], Outputs = ["ingest"] },
            s => string.Concat(Directory.GetFiles(Path.Combine(s.RepositoryRoot, "data/labeled"), "*.jsonl").Order(StringComparer.Ordinal).Select(File.ReadAllText)),
            "ingest/rows.jsonl");
        Clean = new FakeStage(
            StageNames.Clean,
            _ => new StageDeclaration { Inputs = [StageInput.Artifacts("ingest/rows.jsonl"), StageInput.Config("clean", "min_chars: 3\n")], Outputs = ["clean/rows.jsonl"] },
            s => File.ReadAllText(Path.Combine(s.ResolvedArtifactsDirectory, "ingest/rows.jsonl")).ToUpperInvariant(),
            "clean/rows.jsonl");
        Train = new FakeStage(
            StageNames.Train,
            s => new StageDeclaration
            {
                Inputs = [StageInput.Artifacts("clean"), StageInput.Config("train", File.ReadAllText(Path.Combine(s.RepositoryRoot, "pipeline.yaml"))), StageInput.BaseModel("sha256:abc")],
                Outputs = ["train"],
            },
            s => "model trained on " + File.ReadAllText(Path.Combine(s.ResolvedArtifactsDirectory, "clean/rows.jsonl")).Length + " chars with " + File.ReadAllText(Path.Combine(s.RepositoryRoot, "pipeline.yaml")),
            "train/model.bin");
    }

    public StageSettings Settings { get; }

    public FakeStage Ingest { get; }

    public FakeStage Clean { get; }

    public FakeStage Train { get; }

    public IReadOnlyList<FakeStage> All => [Ingest, Clean, Train];

    public async Task<IReadOnlyList<StageOutcome>> RunAsync(ILogger logger, StageSettings? settings = null, IncrementalOptions? options = null)
    {
        var runner = new IncrementalRunner(settings ?? Settings, options);
        var outcomes = new List<StageOutcome>();
        foreach (var stage in All)
        {
            outcomes.Add(await runner.RunAsync(stage, logger));
        }

        return outcomes;
    }
}
