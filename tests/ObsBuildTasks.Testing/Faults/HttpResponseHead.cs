using System.Globalization;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>A parsed HTTP/1.1 response head: status line plus the framing-relevant headers.</summary>
internal sealed class HttpResponseHead
{
    private readonly long? _contentLength;
    private readonly bool _isChunked;

    private HttpResponseHead(HttpHead head, string version, int statusCode, string reasonPhrase)
    {
        Head = head;
        Version = version;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        _contentLength = head.ContentLength();
        _isChunked = head.HasToken("Transfer-Encoding", "chunked");
        WantsClose = head.HasToken("Connection", "close") || (version == "HTTP/1.0" && !head.HasToken("Connection", "keep-alive"));
    }

    /// <summary>The underlying head.</summary>
    public HttpHead Head { get; }

    /// <summary>The protocol version from the status line, e.g. <c>HTTP/1.1</c>.</summary>
    public string Version { get; }

    /// <summary>The status code, e.g. 200.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase from the status line (possibly empty), e.g. <c>OK</c>.</summary>
    public string ReasonPhrase { get; }

    /// <summary>Whether this is an interim (1xx other than 101) response that a final response follows.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 and not 101;

    /// <summary>Whether the server will close the connection after this response.</summary>
    public bool WantsClose { get; }

    /// <summary>Parses a raw response head.</summary>
    /// <exception cref="InvalidDataException">The status line or a header is malformed.</exception>
    public static HttpResponseHead Parse(byte[] raw)
    {
        var head = HttpHead.Parse(raw);
        var parts = head.StartLine.Split(' ', 3);
        if (parts.Length < 2
            || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || parts[1].Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"Malformed HTTP status line '{head.StartLine}'.");
        }

        return new HttpResponseHead(head, parts[0], status, parts.Length > 2 ? parts[2] : string.Empty);
    }

    /// <summary>Whether a response with this status may have a body (not 1xx, 204 or 304).</summary>
    public static bool AllowsBody(int statusCode) => statusCode is >= 200 and not 204 and not 304;

    /// <summary>How the body of this response is delimited, given the method of the request it answers.</summary>
    public ResponseFraming Framing(bool isHeadRequest) =>
        isHeadRequest || !AllowsBody(StatusCode) ? ResponseFraming.None
        : _isChunked ? ResponseFraming.Chunked
        : _contentLength is not null ? ResponseFraming.ContentLength
        : ResponseFraming.UntilClose;

    /// <summary>The <c>Content-Length</c> value; only meaningful with <see cref="ResponseFraming.ContentLength"/>.</summary>
    public long ContentLength => _contentLength ?? 0;
}
