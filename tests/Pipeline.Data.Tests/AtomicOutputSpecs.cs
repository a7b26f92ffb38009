using Pipeline.Data.IO;
using Pipeline.IO;

namespace Pipeline.Data.Tests;

public sealed class AtomicOutputSpecs : IDisposable
{
    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void I_can_kill_a_file_write_half_way_and_keep_the_previous_file_whole()
    {
        // Arrange
        var path = Path.Combine(_repo.Root, "out", "report.json");
        AtomicFile.WriteAllText(path, "old");

        // Act
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new, half"u8);
            throw new InvalidOperationException("killed");
        }));

        // Assert
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["report.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void I_can_kill_a_stage_half_way_and_the_next_run_finds_no_output_to_trust()
    {
        // Arrange
        var target = Path.Combine(_repo.Artifacts, "clean");
        using (var first = new StagingDirectory(target))
        {
            File.WriteAllText(first.File("records.jsonl"), "complete");
            first.Commit();
        }

        // Act
        Assert.Throws<InvalidOperationException>(Kill);

        void Kill()
        {
            using var second = new StagingDirectory(target);
            File.WriteAllText(second.File("records.jsonl"), "half");
            throw new InvalidOperationException("killed");
        }

        // Assert
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(_repo.Artifacts));
    }
}
