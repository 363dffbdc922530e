using System.Globalization;
using System.Security;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>Builds the responses the proxy generates itself (injected S3 errors and gateway errors).</summary>
internal static class LocalResponse
{
    /// <summary>
    /// A complete response carrying an S3 XML error body, with <c>Connection: close</c>.
    /// </summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="errorCode">The S3 error code, e.g. <c>SlowDown</c>.</param>
    /// <param name="message">The error message.</param>
    /// <param name="requestId">The request id put in the body and in <c>x-amz-request-id</c>.</param>
    /// <param name="resource">The request path, put in <c>&lt;Resource&gt;</c>.</param>
    /// <param name="withBody"><see langword="false"/> for a HEAD request, whose response has no body.</param>
    /// <param name="extraHeaders">Further header fields, written after the standard ones.</param>
    public static byte[] S3Error(int statusCode, string errorCode, string message, string requestId, string resource, bool withBody,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null)
    {
        var body = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + $"<Error><Code>{Escape(errorCode)}</Code><Message>{Escape(message)}</Message>"
            + $"<Resource>{Escape(resource)}</Resource><RequestId>{Escape(requestId)}</RequestId></Error>");
        var contentLength = withBody ? body.Length : 0;
        var head = string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {statusCode} {ReasonPhrase(statusCode)}\r\nContent-Type: application/xml\r\nContent-Length: {contentLength}\r\nx-amz-request-id: {requestId}\r\nConnection: close\r\n{string.Concat((extraHeaders ?? []).Select(h => $"{h.Key}: {h.Value}\r\n"))}\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. withBody ? body : []];
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}
