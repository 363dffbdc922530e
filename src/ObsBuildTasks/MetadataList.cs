namespace ObsBuildTasks.MSBuild;

/// <summary>Parses the task's <c>Metadata</c> parameter: <c>name=value;name2=value2</c>.</summary>
internal static class MetadataList
{
    /// <summary>The pairs, or false with the first entry that has no name or no '='. Empty entries are ignored;
    /// names and values are trimmed; a value may itself contain '='.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<KeyValuePair<string, string>> pairs, out string? malformed)
    {
        var result = new List<KeyValuePair<string, string>>();
        pairs = result;
        malformed = null;
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || entry[..separator].Trim().Length == 0)
            {
                malformed = entry;
                return false;
            }

            result.Add(new(entry[..separator].Trim(), entry[(separator + 1)..].Trim()));
        }

        return true;
    }
}
