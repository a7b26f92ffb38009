using System.Globalization;

namespace Pipeline.Serving.Models;

/// <summary>
/// What to serve: <c>models:/NAME@ALIAS</c>, <c>models:/NAME/VERSION</c> (MLflow's model URIs), or a
/// local model folder.
/// </summary>
public sealed record ModelReference
{
    private ModelReference(string raw, string? name, string? alias, int? version, string? folder)
    {
        Raw = raw;
        Name = name;
        Alias = alias;
        Version = version;
        Folder = folder;
    }

    /// <summary>The reference as given.</summary>
    public string Raw { get; }

    /// <summary>Registered model name for a <c>models:/</c> reference; null for a folder.</summary>
    public string? Name { get; }

    /// <summary>Alias for <c>models:/NAME@ALIAS</c>; otherwise null.</summary>
    public string? Alias { get; }

    /// <summary>Version for <c>models:/NAME/VERSION</c>; otherwise null.</summary>
    public int? Version { get; }

    /// <summary>Full path of the local model folder; null for a <c>models:/</c> reference.</summary>
    public string? Folder { get; }

    /// <summary>True for <c>models:/</c> references, which a registry resolves.</summary>
    public bool IsRegistry => Name is not null;

    /// <summary>Parses a reference; throws <see cref="ServingException"/> naming the accepted forms when it is invalid.</summary>
    public static ModelReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.Trim();
        if (text.Length == 0)
        {
            throw new ServingException("The model reference is empty: pass models:/NAME@ALIAS, models:/NAME/VERSION or a model folder.");
        }

        if (!text.StartsWith("models:/", StringComparison.Ordinal))
        {
            return new ModelReference(reference, null, null, null, Path.GetFullPath(text));
        }

        var body = text["models:/".Length..];
        var at = body.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && at < body.Length - 1 && !body.Contains('/', StringComparison.Ordinal))
        {
            return new ModelReference(reference, body[..at], body[(at + 1)..], null, null);
        }

        var slash = body.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && int.TryParse(body[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return new ModelReference(reference, body[..slash], null, version, null);
        }

        throw new ServingException(
            $"The model reference '{reference}' is not valid: use models:/NAME@ALIAS (e.g. models:/support-intent@champion), models:/NAME/VERSION with VERSION >= 1, or a local model folder.");
    }

    public override string ToString() => Raw;
}
