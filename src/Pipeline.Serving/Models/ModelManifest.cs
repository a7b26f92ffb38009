using System.Text.Json;

namespace Pipeline.Serving.Models;

/// <summary>
/// A model folder's files that describe it: <c>labels.json</c> (required; the heads and their labels)
/// and <c>model.json</c> (optional; name, version, commit, metrics, tokenizer settings).
/// </summary>
/// <remarks>
/// <c>labels.json</c> is either a list of label names (one head called <c>label</c>) or
/// <c>{"heads": [{"name": "intent", "output": "logits_intent", "labels": ["a", "b"]}]}</c>, where
/// <c>output</c> names the graph output holding that head's logits (default: the only output for one
/// head, else <c>logits_NAME</c>); a head may add <c>"kind": "multi_label"</c> (sigmoid per label) and
/// <c>"thresholds": [0.5, ...]</c> (default 0.5 each). <c>model.json</c>:
/// <c>{"name": "...", "version": "3", "commit": "abc123", "metrics": {"macro_f1": 0.91},
/// "max_sequence_length": 128, "lowercase": true, "truncation": "tail"}</c>; every key is optional.
/// The Train stage writes the tokenizer keys from Format's settings, so serving tokenises exactly
/// as training did (<c>truncation</c>: <c>tail</c> drops the end of a long text, <c>head</c> its start).
/// </remarks>
public sealed record ModelManifest(
    string? Name,
    string? Version,
    string? Commit,
    IReadOnlyDictionary<string, double> Metrics,
    int? MaxSequenceLength,
    bool? Lowercase)
{
    /// <summary>True when a text longer than <see cref="MaxSequenceLength"/> keeps its end (<c>"truncation": "head"</c>); false keeps its start.</summary>
    public bool TruncateHead { get; init; }

    /// <summary>File name of the optional metadata file.</summary>
    public const string MetadataFile = "model.json";

    /// <summary>File name of the heads-and-labels file.</summary>
    public const string LabelsFile = "labels.json";

    /// <summary>Reads <c>model.json</c> from the folder; all fields null/empty when it is absent.</summary>
    public static ModelManifest Read(string folder)
    {
        var path = Path.Combine(folder, MetadataFile);
        if (!File.Exists(path))
        {
            return new ModelManifest(null, null, null, new Dictionary<string, double>(), null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (root.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in m.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Number)
                    {
                        metrics[p.Name] = p.Value.GetDouble();
                    }
                }
            }

            return new ModelManifest(
                String(root, "name"),
                root.TryGetProperty("version", out var v) ? (v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString()) : null,
                String(root, "commit"),
                metrics,
                root.TryGetProperty("max_sequence_length", out var len) ? len.GetInt32() : null,
                root.TryGetProperty("lowercase", out var lower) ? lower.GetBoolean() : null)
            {
                TruncateHead = String(root, "truncation") switch
                {
                    null or "tail" => false,
                    "head" => true,
                    var other => throw new FormatException($"truncation is '{other}'; use tail or head."),
                },
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ServingException($"{path} is not valid: {e.Message} Expected an object such as {{\"name\": \"support-intent\", \"version\": \"3\"}}.", e);
        }
    }

    /// <summary>Reads the heads from <c>labels.json</c>, with each head's graph output name.</summary>
    public static IReadOnlyList<(ModelHead Head, string? Output)> ReadHeads(string folder)
    {
        var path = Path.Combine(folder, LabelsFile);
        if (!File.Exists(path))
        {
            throw new ServingException($"The model folder '{folder}' has no {LabelsFile}: write the label names, e.g. [\"billing\", \"login\"].");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            List<(ModelHead, string?)> heads = [];
            if (root.ValueKind == JsonValueKind.Array)
            {
                heads.Add((new ModelHead("label", Labels(root)), null));
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("heads", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var head in list.EnumerateArray())
                {
                    var name = String(head, "name") ?? throw new FormatException("every head needs a \"name\".");
                    var labels = Labels(head.GetProperty("labels"));
                    var multiLabel = String(head, "kind") switch
                    {
                        null or "single_label" => false,
                        "multi_label" => true,
                        var other => throw new FormatException($"head '{name}' has kind '{other}'; use single_label or multi_label."),
                    };
                    List<float>? thresholds = null;
                    if (head.TryGetProperty("thresholds", out var t) && t.ValueKind == JsonValueKind.Array)
                    {
                        thresholds = [.. t.EnumerateArray().Select(x => x.GetSingle())];
                        if (!multiLabel || thresholds.Count != labels.Count || thresholds.Any(x => !(x > 0f && x < 1f)))
                        {
                            throw new FormatException($"head '{name}': thresholds are for multi_label heads, one per label, each in (0, 1).");
                        }
                    }

                    heads.Add((new ModelHead(name, labels) { MultiLabel = multiLabel, Thresholds = thresholds }, String(head, "output")));
                }
            }
            else
            {
                throw new FormatException("expected a list of labels or {\"heads\": [...]}.");
            }

            if (heads.Count == 0 || heads.Any(h => h.Item1.Labels.Count == 0))
            {
                throw new FormatException("every head needs at least one label.");
            }

            if (heads.Select(h => h.Item1.Name).Distinct(StringComparer.Ordinal).Count() != heads.Count)
            {
                throw new FormatException("head names must be unique.");
            }

            return heads;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ServingException($"{path} is not valid: {e.Message}", e);
        }
    }

    private static List<string> Labels(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("labels must be strings."))];

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
