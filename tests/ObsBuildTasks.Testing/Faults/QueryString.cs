namespace ObsBuildTasks.Testing.Faults;

/// <summary>Splits the query of a request target into URL-decoded name/value pairs.</summary>
internal static class QueryString
{
    /// <summary>
    /// Parses the part after <c>?</c> of <paramref name="target"/>; a parameter without <c>=</c> has a
    /// <see langword="null"/> value.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Parse(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var part in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(equals < 0
                ? new(Uri.UnescapeDataString(part), null)
                : new(Uri.UnescapeDataString(part[..equals]), Uri.UnescapeDataString(part[(equals + 1)..])));
        }

        return pairs;
    }
}
