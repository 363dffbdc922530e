using System.Net;
using System.Text;

namespace ObsBuildTasks.Wire;

/// <summary>Turns a bucket and key into the URL, <c>Host</c> header and encoded path of a request. Keys are sent exactly
/// as given: no dot-segment removal, no slash collapsing, no re-encoding.</summary>
internal sealed class ObsEndpoint
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly bool _pathStyle;

    private ObsEndpoint(Uri baseUri, bool pathStyle)
    {
        BaseUri = baseUri;
        _pathStyle = pathStyle;
    }

    /// <summary>The endpoint as configured, normalised (scheme, host, port; no path).</summary>
    public Uri BaseUri { get; }

    /// <summary>Parses <paramref name="endpoint"/>; a value without a scheme means HTTPS.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="pathStyle">Path-style addressing; <see langword="null"/> chooses it for IP addresses and <c>localhost</c>.</param>
    /// <exception cref="ObsValidationException">The endpoint is not an absolute HTTP(S) URL without path or query.</exception>
    public static ObsEndpoint Parse(string endpoint, bool? pathStyle) =>
        TryParseUri(endpoint) is { } uri
            ? new ObsEndpoint(new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri, pathStyle ?? IsAddressOrLocalhost(uri))
            : throw new ObsValidationException(ObsValidationError.InvalidEndpoint, InvalidMessage(endpoint));

    /// <summary>What is wrong with <paramref name="endpoint"/>, or <see langword="null"/> when it is valid.</summary>
    public static string? Check(string? endpoint) => TryParseUri(endpoint) is null ? InvalidMessage(endpoint) : null;

    /// <summary>Builds the request for <paramref name="bucketName"/> and <paramref name="objectKey"/> (both optional).</summary>
    public ObsRequest CreateRequest(HttpMethod method, string? bucketName, string? objectKey)
    {
        var encodedKey = objectKey is null ? "" : UriEncoding.EncodeKey(objectKey);
        var host = BaseUri.IsDefaultPort ? BaseUri.Host : $"{BaseUri.Host}:{BaseUri.Port}";
        string path;
        if (bucketName is null)
        {
            path = "/";
        }
        else if (_pathStyle)
        {
            path = $"/{bucketName}/{encodedKey}";
        }
        else
        {
            host = $"{bucketName}.{host}";
            path = "/" + encodedKey;
        }

        return new ObsRequest(method, host, path, bucketName, objectKey);
    }

    /// <summary>The absolute URL of <paramref name="request"/>, query included, exactly as signed: nothing re-encoded,
    /// no <c>./</c> or <c>../</c> segment resolved.</summary>
    public Uri BuildUri(ObsRequest request)
    {
        var text = new StringBuilder(256).Append(BaseUri.Scheme).Append("://").Append(request.Host).Append(request.Path);
        var separator = '?';
        foreach (var (name, value) in request.Query)
        {
            text.Append(separator).Append(UriEncoding.EncodeComponent(name));
            if (value is not null)
            {
                text.Append('=').Append(UriEncoding.EncodeComponent(value));
            }

            separator = '&';
        }

        return new Uri(text.ToString(), in Verbatim);
    }

    /// <summary>The public URL of an object (no query): an ordinary <see cref="Uri"/> unless the key holds segments such
    /// as <c>../</c> that an ordinary one would resolve away.</summary>
    public Uri ObjectUri(string bucketName, string objectKey)
    {
        var exact = BuildUri(CreateRequest(HttpMethod.Get, bucketName, objectKey));
        return Uri.TryCreate(exact.OriginalString, UriKind.Absolute, out var ordinary) && ordinary.AbsoluteUri == exact.OriginalString ? ordinary : exact;
    }

    private static Uri? TryParseUri(string? endpoint)
    {
        var text = (endpoint ?? "").Trim();
        if (text.Length > 0 && !text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host)
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0
            && !text.Any(char.IsControl)
            ? uri
            : null;
    }

    private static string InvalidMessage(string? endpoint) =>
        $"The endpoint '{SafeText.Url(endpoint)}' is not valid: use an HTTP(S) URL with a host and no path, e.g. https://obs.cn-north-4.myhuaweicloud.com.";

    private static bool IsAddressOrLocalhost(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(uri.Host, out _);
}
