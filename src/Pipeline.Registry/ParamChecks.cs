namespace Pipeline.Registry;

/// <summary>Param immutability, shared by both stores.</summary>
internal static class ParamChecks
{
    /// <summary>Drops exact repeats; the same key twice with different values is an error.</summary>
    public static IReadOnlyList<Param> Deduplicate(string runId, IReadOnlyList<Param> @params)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<Param>();
        foreach (var p in @params)
        {
            if (MlflowRules.KeyProblem(p.Key) is { } problem)
            {
                throw new MlflowApiException("log-batch", 400, MlflowErrorCodes.InvalidParameterValue, problem);
            }

            if (seen.TryGetValue(p.Key, out var earlier))
            {
                if (earlier != p.Value)
                {
                    throw new ParamValueChangedException("log-batch", runId, p.Key, earlier, p.Value);
                }

                continue;
            }

            seen[p.Key] = p.Value;
            result.Add(p);
        }

        return result;
    }

    /// <summary>The params not logged yet; throws when one is logged with another value.</summary>
    public static IReadOnlyList<Param> NotYetLogged(string endpoint, string runId, IReadOnlyList<Param> @params, IReadOnlyDictionary<string, string> existing)
    {
        var result = new List<Param>();
        foreach (var p in @params)
        {
            if (!existing.TryGetValue(p.Key, out var old))
            {
                result.Add(p);
            }
            else if (old != p.Value && !(p.Value.Length > MlflowRules.MaxParamValueLength && p.Value[..MlflowRules.MaxParamValueLength] == old))
            {
                throw new ParamValueChangedException(endpoint, runId, p.Key, old, p.Value);
            }
        }

        return result;
    }
}
