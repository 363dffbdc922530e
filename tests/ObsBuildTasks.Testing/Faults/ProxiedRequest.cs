namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// A snapshot of one request the proxy received, as recorded so far. A request is recorded as soon as its head is
/// read; the counters and statuses are updated while it is processed, and <see cref="Completed"/> turns true when the
/// exchange is over (response relayed, fault applied, or a connection lost).
/// </summary>
public sealed record ProxiedRequest
{
    /// <summary>1-based order in which the proxy received the request heads.</summary>
    public required long Sequence { get; init; }

    /// <summary>1-based number of the client connection that carried the request.</summary>
    public required long ConnectionId { get; init; }

    /// <summary>The HTTP method, e.g. <c>PUT</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The request target as sent, normally path and query, e.g. <c>/bucket/key?partNumber=1&amp;uploadId=x</c>.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>The request's header fields as received, in order (names as sent, values trimmed).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body length the client declared in <c>Content-Length</c> (0 when absent).</summary>
    public required long DeclaredContentLength { get; init; }

    /// <summary>Body bytes read from the client so far.</summary>
    public required long BodyBytesReceived { get; init; }

    /// <summary>Body bytes written to the upstream so far (fewer than received when the fault discards the body).</summary>
    public required long BodyBytesForwarded { get; init; }

    /// <summary>
    /// Response body bytes written to the client so far (as sent on the wire, chunk framing included; 0 when no
    /// response was sent).
    /// </summary>
    public required long ResponseBodyBytesSent { get; init; }

    /// <summary>The fault applied to this request, or <see langword="null"/> if it passed through untouched.</summary>
    public required Fault? Fault { get; init; }

    /// <summary>The status of the upstream's final response, or <see langword="null"/> if none was read.</summary>
    public required int? UpstreamStatus { get; init; }

    /// <summary>The status sent to the client (relayed or generated), or <see langword="null"/> if none was sent.</summary>
    public required int? RelayedStatus { get; init; }

    /// <summary>Whether the proxy has finished with this request.</summary>
    public required bool Completed { get; init; }

    /// <summary>Whether a fault was applied.</summary>
    public bool FaultApplied => Fault is not null;

    /// <summary>The value of the header field <paramref name="name"/> (case-insensitive; repeated fields joined with
    /// <c>,</c>), or <see langword="null"/> when the request did not have it.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }
}
