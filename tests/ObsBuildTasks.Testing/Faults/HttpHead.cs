using System.Globalization;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// The raw head of an HTTP/1.1 message (start line and header fields), with the few header lookups the proxy needs.
/// Bytes are decoded as Latin-1 so that re-encoding reproduces them exactly.
/// </summary>
internal sealed class HttpHead
{
    private readonly string[] _headerLines;
    private readonly (string Name, string Value)[] _headers;

    private HttpHead(byte[] raw, string startLine, string[] headerLines, (string Name, string Value)[] headers)
    {
        Raw = raw;
        StartLine = startLine;
        _headerLines = headerLines;
        _headers = headers;
    }

    /// <summary>The head exactly as received, including the terminating blank line.</summary>
    public byte[] Raw { get; }

    /// <summary>The request line or status line.</summary>
    public string StartLine { get; }

    /// <summary>The header fields in the order received, values trimmed.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers => _headers;

    /// <summary>Parses a head as returned by <see cref="HttpStreamReader.ReadHeadAsync"/>.</summary>
    /// <exception cref="InvalidDataException">A header line has no colon.</exception>
    public static HttpHead Parse(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var lines = text[..^4].Split("\r\n");
        var headerLines = lines[1..];
        var headers = new (string Name, string Value)[headerLines.Length];
        for (var i = 0; i < headerLines.Length; i++)
        {
            var colon = headerLines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"Malformed HTTP header line '{headerLines[i]}'.");
            }

            headers[i] = (headerLines[i][..colon], headerLines[i][(colon + 1)..].Trim());
        }

        return new HttpHead(raw, lines[0], headerLines, headers);
    }

    /// <summary>Whether a header field with this name is present.</summary>
    public bool Has(string name) => _headers.Any(h => IsName(h.Name, name));

    /// <summary>
    /// Whether any comma-separated element of the named header fields equals <paramref name="token"/>
    /// (case-insensitively), e.g. <c>Connection: close</c> or <c>Transfer-Encoding: chunked</c>.
    /// </summary>
    public bool HasToken(string name, string token) =>
        _headers.Where(h => IsName(h.Name, name))
            .SelectMany(h => h.Value.Split(','))
            .Any(t => string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The value of <c>Content-Length</c>, or <see langword="null"/> when absent.
    /// </summary>
    /// <exception cref="InvalidDataException">The value is not a non-negative integer, or repeated values differ.</exception>
    public long? ContentLength()
    {
        long? result = null;
        foreach (var (name, value) in _headers)
        {
            if (!IsName(name, "Content-Length"))
            {
                continue;
            }

            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                || (result is not null && result != parsed))
            {
                throw new InvalidDataException($"Invalid Content-Length '{value}'.");
            }

            result = parsed;
        }

        return result;
    }

    /// <summary>The head re-encoded with <paramref name="startLine"/> and without the header fields named
    /// <paramref name="name"/>; other bytes unchanged.</summary>
    public byte[] Rewritten(string startLine, string name)
    {
        if (!Has(name) && startLine == StartLine)
        {
            return Raw;
        }

        var builder = new StringBuilder(startLine).Append("\r\n");
        for (var i = 0; i < _headerLines.Length; i++)
        {
            if (!IsName(_headers[i].Name, name))
            {
                builder.Append(_headerLines[i]).Append("\r\n");
            }
        }

        return Encoding.Latin1.GetBytes(builder.Append("\r\n").ToString());
    }

    private static bool IsName(string actual, string expected) =>
        string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
}
