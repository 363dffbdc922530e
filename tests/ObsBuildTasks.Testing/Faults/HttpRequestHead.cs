namespace ObsBuildTasks.Testing.Faults;

/// <summary>A parsed HTTP/1.1 request head: request line plus the framing-relevant headers.</summary>
internal sealed class HttpRequestHead
{
    private HttpRequestHead(HttpHead head, string method, string target, bool isHttp10)
    {
        Head = head;
        Method = method;
        Target = target;
        ContentLength = head.ContentLength() ?? 0;
        HasTransferEncoding = head.Has("Transfer-Encoding");
        ExpectsContinue = head.HasToken("Expect", "100-continue");
        WantsClose = head.HasToken("Connection", "close") || (isHttp10 && !head.HasToken("Connection", "keep-alive"));
    }

    /// <summary>The underlying head.</summary>
    public HttpHead Head { get; }

    /// <summary>The request method, e.g. <c>PUT</c>.</summary>
    public string Method { get; }

    /// <summary>The request target as sent (normally path and query).</summary>
    public string Target { get; }

    /// <summary>The body length from <c>Content-Length</c>; 0 when absent.</summary>
    public long ContentLength { get; }

    /// <summary>Whether the body uses <c>Transfer-Encoding</c> (not supported by the proxy).</summary>
    public bool HasTransferEncoding { get; }

    /// <summary>Whether the client waits for <c>100 Continue</c> before sending the body.</summary>
    public bool ExpectsContinue { get; }

    /// <summary>Whether the client asked for the connection to close after this exchange.</summary>
    public bool WantsClose { get; }

    /// <summary>The head to send upstream: without <c>Expect</c> (the proxy answers it), and with an origin-form target
    /// when the client used the proxy as a forward proxy (<c>PUT http://host/path</c>, as clients do for
    /// <c>HTTP_PROXY</c>), since origin servers expect the path alone.</summary>
    public byte[] ForUpstream()
    {
        var verbatim = new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true };
        var startLine = Target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(Target, verbatim, out var absolute)
            ? $"{Method} {absolute.PathAndQuery} {Head.StartLine.Split(' ')[2]}"
            : Head.StartLine;
        return Head.Rewritten(startLine, "Expect");
    }

    /// <summary>Whether this is a <c>HEAD</c> request (its response never has a body).</summary>
    public bool IsHead => string.Equals(Method, "HEAD", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a raw request head.</summary>
    /// <exception cref="InvalidDataException">The request line or a header is malformed.</exception>
    public static HttpRequestHead Parse(byte[] raw)
    {
        var head = HttpHead.Parse(raw);
        var parts = head.StartLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Malformed HTTP request line '{head.StartLine}'.");
        }

        return new HttpRequestHead(head, parts[0], parts[1], parts[2] == "HTTP/1.0");
    }
}
