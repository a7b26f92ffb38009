namespace Pipeline.Serving.Models;

/// <summary>What the service reports about the version it serves (<c>GET /v1/model</c>, <c>/metrics</c>).</summary>
/// <param name="Name">Registered model name, or the folder name for a local folder.</param>
/// <param name="Version">Registry version (e.g. <c>3</c>), or the folder's <c>model.json</c> version, or a content fingerprint <c>local-…</c>.</param>
/// <param name="Alias">The alias the version was resolved through (e.g. <c>champion</c>), or null.</param>
/// <param name="Commit">The Git commit the version was trained from, or null when unknown.</param>
/// <param name="Metrics">Evaluation metrics logged with the version (e.g. <c>macro_f1</c>); empty when unknown.</param>
public sealed record ModelDescriptor(
    string Name,
    string Version,
    string? Alias,
    string? Commit,
    IReadOnlyDictionary<string, double> Metrics);
