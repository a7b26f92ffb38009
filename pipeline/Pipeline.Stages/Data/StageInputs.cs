using System.Reflection;
using System.Text.Json;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Data;

/// <summary>Inputs every stage declares the same way: config sections as canonical JSON, and the code that runs.</summary>
internal static class StageInputs
{
    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = false };

    /// <summary>A config section (a record from pipeline.yaml) as canonical text.</summary>
    public static StageInput Config<T>(string section, T value) => StageInput.Config(section, JsonSerializer.Serialize(value, Canonical));

    /// <summary>
    /// The code version: the module version ids of the stage layer and of the library the stage
    /// calls. Deterministic builds give the same id for the same source, so a rebuild with no
    /// change does not rerun stages, and any code change does.
    /// </summary>
    public static StageInput Code(params Assembly[] libraries) =>
        StageInput.CodeVersion(string.Join('+', libraries.Append(typeof(StageInputs).Assembly).Select(a => a.ManifestModule.ModuleVersionId.ToString("N"))));
}
