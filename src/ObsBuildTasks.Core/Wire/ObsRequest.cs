namespace ObsBuildTasks.Wire;

/// <summary>
/// One request as the signers and the HTTP layer see it: everything that is signed, before it becomes an
/// <see cref="HttpRequestMessage"/>. Signers add their headers (date, token, authorization) to <see cref="Headers"/>.
/// </summary>
internal sealed class ObsRequest
{
    public ObsRequest(HttpMethod method, string host, string path, string? bucketName, string? objectKey)
    {
        Method = method;
        Host = host;
        Path = path;
        BucketName = bucketName;
        ObjectKey = objectKey;
    }

    /// <summary>The HTTP verb.</summary>
    public HttpMethod Method { get; }

    /// <summary>The <c>Host</c> header value (with the port when it is not the scheme's default).</summary>
    public string Host { get; }

    /// <summary>The request path exactly as sent: already percent-encoded, starting with <c>/</c>.</summary>
    public string Path { get; }

    /// <summary>The bucket, or <see langword="null"/> for service-level requests.</summary>
    public string? BucketName { get; }

    /// <summary>The object key (not encoded), or <see langword="null"/> for bucket-level requests.</summary>
    public string? ObjectKey { get; }

    /// <summary>Query parameters, NOT encoded; a <see langword="null"/> value is a bare flag such as <c>uploads</c>.</summary>
    public SortedDictionary<string, string?> Query { get; } = new(StringComparer.Ordinal);

    /// <summary>Request headers other than <c>Host</c> and <c>Content-Length</c>, including <c>Content-Type</c> and <c>Content-MD5</c>.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
