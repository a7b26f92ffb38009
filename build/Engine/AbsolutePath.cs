namespace Pipeline.Build;

/// <summary>A full, normalized file-system path; <c>RootDirectory / "artifacts"</c> combines.</summary>
public sealed class AbsolutePath : IEquatable<AbsolutePath>
{
    private readonly string _path;

    private AbsolutePath(string path)
    {
        _path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }

    /// <summary>The last segment of the path.</summary>
    public string Name => Path.GetFileName(_path);

    /// <summary>The containing folder, or null at a root.</summary>
    public AbsolutePath? Parent => Path.GetDirectoryName(_path) is { } parent ? new AbsolutePath(parent) : null;

    /// <summary>Creates a path from <paramref name="path"/>, which must be rooted.</summary>
    /// <exception cref="ArgumentException">The path is relative.</exception>
    public static AbsolutePath Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not an absolute path.", nameof(path));
        }

        return new AbsolutePath(path);
    }

    /// <summary>Combines this path with a relative one (or returns <paramref name="relative"/> if it is rooted).</summary>
    public AbsolutePath Combine(string relative) => new(Path.Combine(_path, relative));

    /// <summary>Same as <see cref="Combine"/>.</summary>
    public static AbsolutePath operator /(AbsolutePath left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Combine(right);
    }

    /// <summary>The path as text.</summary>
    public static implicit operator string(AbsolutePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path._path;
    }

    /// <inheritdoc/>
    public override string ToString() => _path;

    /// <inheritdoc/>
    public bool Equals(AbsolutePath? other) => other is not null && string.Equals(_path, other._path, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AbsolutePath);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_path);
}
