using LibGit2Sharp;

namespace Pipeline.Stages.Tests.Support;

/// <summary>A real Git repository in a temp folder, with helpers to write files and commit.</summary>
public sealed class TempGitRepository : IDisposable
{
    private readonly TempFolder _folder = new();

    public TempGitRepository()
    {
        Repository.Init(_folder.Path);
        Write(".gitignore", "artifacts/\n");
    }

    public string Path => _folder.Path;

    public string Write(string relativePath, string contents) => _folder.Write(relativePath, contents);

    public void Delete(string relativePath) => File.Delete(System.IO.Path.Combine(Path, relativePath));

    public string Commit(string message)
    {
        using var repo = new Repository(Path);
        Commands.Stage(repo, "*");
        var signature = new Signature("Test", "test@example.com", new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        return repo.Commit(message, signature, signature, new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    public void AddRemote(string name, string url)
    {
        using var repo = new Repository(Path);
        repo.Network.Remotes.Add(name, url);
    }

    public void Checkout(string commitish)
    {
        using var repo = new Repository(Path);
        Commands.Checkout(repo, commitish);
    }

    public void Dispose() => _folder.Dispose();
}
