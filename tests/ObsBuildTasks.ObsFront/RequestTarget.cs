namespace ObsBuildTasks.ObsFront;

/// <summary>
/// What a request addresses, from its <c>Host</c> and its raw request target (never decoded, never normalised).
/// Buckets are addressed like OBS does it: as a virtual host <c>{bucket}.{domain}</c>, or path-style
/// <c>/{bucket}/{key}</c> on any other host.
/// </summary>
/// <param name="Bucket">The bucket, or <see langword="null"/> for a service-level request (<c>GET /</c>).</param>
/// <param name="VirtualHosted">Whether the bucket came from the host name.</param>
/// <param name="RawPath">The path exactly as received.</param>
/// <param name="RawQuery">The query exactly as received, without the <c>?</c>.</param>
public sealed record RequestTarget(string? Bucket, bool VirtualHosted, string RawPath, string RawQuery)
{
    /// <summary>Splits a raw target (which starts with <c>/</c>) sent to <paramref name="host"/>.</summary>
    /// <param name="host">The <c>Host</c> header without the port.</param>
    /// <param name="rawTarget">The request target as received.</param>
    /// <param name="domain">The front's host name: <c>{bucket}.{domain}</c> is a virtual-hosted bucket.</param>
    public static RequestTarget Parse(string host, string rawTarget, string domain)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(rawTarget);
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var query = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];
        var suffix = "." + domain;
        if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return new RequestTarget(host[..^suffix.Length], true, path, query);
        }

        var bucketEnd = path.IndexOf('/', 1);
        var bucket = bucketEnd < 0 ? path[1..] : path[1..bucketEnd];
        return new RequestTarget(bucket.Length == 0 ? null : bucket, false, path, query);
    }

    /// <summary>Whether the request names an object (not only a bucket or the service).</summary>
    public bool HasKey => VirtualHosted ? RawPath.Length > 1 : Bucket is not null && RawPath.Length > Bucket.Length + 2;

    /// <summary>The path to ask the store for: path-style, otherwise byte for byte what the client sent.</summary>
    public string StorePath => VirtualHosted ? "/" + Bucket + (RawPath == "/" ? "" : RawPath) : RawPath;

    /// <summary>The query parameters in order, raw: name and value (<see langword="null"/> without <c>=</c>).</summary>
    public IEnumerable<(string Name, string? Value)> QueryParameters() =>
        RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0
            ? (pair[..equals], (string?)pair[(equals + 1)..])
            : (pair, null));
}
