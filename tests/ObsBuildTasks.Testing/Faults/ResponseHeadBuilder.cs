using System.Globalization;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Composes a response head: either a new one for a local answer, or an edited copy of an upstream response's head.
/// Header fields keep their order; added fields go last.
/// </summary>
internal sealed class ResponseHeadBuilder
{
    private readonly string _version;
    private readonly List<(string Name, string Value)> _fields;
    private int _statusCode;
    private string _reasonPhrase;

    /// <summary>Starts a new <c>HTTP/1.1</c> head with this status and no header fields.</summary>
    public ResponseHeadBuilder(int statusCode)
        : this("HTTP/1.1", statusCode, ReasonPhrase(statusCode), [])
    {
    }

    private ResponseHeadBuilder(string version, int statusCode, string reasonPhrase, List<(string Name, string Value)> fields)
    {
        _version = version;
        _statusCode = statusCode;
        _reasonPhrase = reasonPhrase;
        _fields = fields;
    }

    /// <summary>Starts from a copy of <paramref name="head"/> (version, status, reason phrase and header fields).</summary>
    public static ResponseHeadBuilder From(HttpResponseHead head) =>
        new(head.Version, head.StatusCode, head.ReasonPhrase, [.. head.Head.Headers]);

    /// <summary>
    /// Checks that a header field can be written as one line: a non-blank name without a colon, and neither with a
    /// line break.
    /// </summary>
    /// <exception cref="ArgumentException">The name or value would break the head.</exception>
    public static void Validate(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.AsSpan().IndexOfAny(":\r\n") >= 0 || value.AsSpan().IndexOfAny("\r\n") >= 0)
        {
            throw new ArgumentException("A header name or value must not contain line breaks (nor the name a colon).", nameof(name));
        }
    }

    /// <summary>Replaces the status code, with the standard reason phrase.</summary>
    public ResponseHeadBuilder WithStatus(int statusCode)
    {
        _statusCode = statusCode;
        _reasonPhrase = ReasonPhrase(statusCode);
        return this;
    }

    /// <summary>Appends a header field.</summary>
    public ResponseHeadBuilder Add(string name, string value)
    {
        _fields.Add((name, value));
        return this;
    }

    /// <summary>Removes every header field with this name (case-insensitive).</summary>
    public ResponseHeadBuilder Remove(string name)
    {
        _fields.RemoveAll(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <summary>Replaces every header field with this name by one field with <paramref name="value"/>, at the end.</summary>
    public ResponseHeadBuilder Set(string name, string value) => Remove(name).Add(name, value);

    /// <summary>Encodes the head (Latin-1, CRLF line ends, blank line last) and parses it back.</summary>
    public HttpResponseHead Build()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{_version} {_statusCode} {_reasonPhrase}\r\n");
        foreach (var (name, value) in _fields)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        return HttpResponseHead.Parse(Encoding.Latin1.GetBytes(text.Append("\r\n").ToString()));
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
