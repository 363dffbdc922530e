namespace ObsBuildTasks.Wire;

/// <summary>What an answer carried in its headers.</summary>
internal sealed record WireResponse(string? ETag, string? RequestId, string? VersionId, DateTimeOffset? ServerDate, ObjectProperties Properties)
{
    public static WireResponse From(HttpResponseMessage response, string headerPrefix)
    {
        // Every answer of every part comes here: plain loops, one string per header.
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(headers, response.Headers);
        Add(headers, response.Content.Headers);
        var etag = Header(headers, "ETag") is { } quoted ? ETags.Unquote(quoted) : null;
        var requestId = Header(headers, "x-obs-request-id") ?? Header(headers, "x-amz-request-id");
        var metaPrefix = headerPrefix + "meta-";
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith(metaPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata.Add(name[metaPrefix.Length..], value);
            }
        }

        var properties = new ObjectProperties(etag ?? "", response.Content.Headers.ContentLength ?? 0, Header(headers, "Content-Type"), metadata, headers);
        return new WireResponse(etag, requestId, Header(headers, headerPrefix + "version-id"), response.Headers.Date, properties);
    }

    /// <summary>Adds each header under its lowercased name, its values joined by commas; a name met again (in either
    /// collection, in any case) gets its values appended to the first one's.</summary>
    private static void Add(Dictionary<string, string> headers, System.Net.Http.Headers.HttpHeaders source)
    {
        foreach (var (name, values) in source)
        {
            var joined = string.Join(",", values);
            headers[name.ToLowerInvariant()] = headers.TryGetValue(name, out var earlier) ? $"{earlier},{joined}" : joined;
        }
    }

    private static string? Header(Dictionary<string, string> headers, string name) => headers.GetValueOrDefault(name);
}
