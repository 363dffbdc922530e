namespace ObsBuildTasks.Wire;

/// <summary>What an answer carried in its headers.</summary>
internal sealed record WireResponse(string? ETag, string? RequestId, string? VersionId, DateTimeOffset? ServerDate, ObjectProperties Properties)
{
    public static WireResponse From(HttpResponseMessage response, string headerPrefix)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(header => header.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key.ToLowerInvariant(), group => string.Join(",", group.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var etag = Header(headers, "ETag") is { } quoted ? ETags.Unquote(quoted) : null;
        var requestId = Header(headers, "x-obs-request-id") ?? Header(headers, "x-amz-request-id");
        var metaPrefix = headerPrefix + "meta-";
        var metadata = headers.Where(header => header.Key.StartsWith(metaPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(header => header.Key[metaPrefix.Length..], header => header.Value, StringComparer.OrdinalIgnoreCase);
        var properties = new ObjectProperties(etag ?? "", response.Content.Headers.ContentLength ?? 0, Header(headers, "Content-Type"), metadata, headers);
        return new WireResponse(etag, requestId, Header(headers, headerPrefix + "version-id"), response.Headers.Date, properties);
    }

    private static string? Header(Dictionary<string, string> headers, string name) => headers.GetValueOrDefault(name);
}
