using System.Net;

namespace ObsBuildTasks.Wire;

/// <summary>Turns a bucket and key into the URL, <c>Host</c> header and encoded path of a request.</summary>
internal sealed class ObsEndpoint
{
    private readonly Uri _baseUri;
    private readonly bool _pathStyle;

    private ObsEndpoint(Uri baseUri, bool pathStyle)
    {
        _baseUri = baseUri;
        _pathStyle = pathStyle;
    }

    /// <summary>The endpoint as configured, normalised (scheme, host, port; no path).</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>Parses <paramref name="endpoint"/>; a value without a scheme means HTTPS.</summary>
    /// <exception cref="ObsValidationException">The endpoint is not an absolute HTTP(S) URL without path or query.</exception>
    public static ObsEndpoint Parse(string endpoint, bool? pathStyle)
    {
        var text = endpoint.Trim();
        if (text.Length > 0 && !text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new ObsValidationException(ObsValidationError.InvalidEndpoint,
                $"The endpoint '{endpoint}' is not valid: use an HTTP(S) URL with a host and no path, e.g. https://obs.cn-north-4.myhuaweicloud.com.",
                nameof(endpoint));
        }

        var baseUri = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
        return new ObsEndpoint(baseUri, pathStyle ?? IsAddressOrLocalhost(uri));
    }

    /// <summary>Builds the request for <paramref name="bucketName"/> and <paramref name="objectKey"/> (both optional).</summary>
    public ObsRequest CreateRequest(HttpMethod method, string? bucketName, string? objectKey)
    {
        var encodedKey = objectKey is null ? "" : UriEncoding.EncodeKey(objectKey);
        var host = _baseUri.IsDefaultPort ? _baseUri.Host : $"{_baseUri.Host}:{_baseUri.Port}";
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

    /// <summary>The absolute URL of <paramref name="request"/>, query included, with nothing re-encoded.</summary>
    public Uri BuildUri(ObsRequest request)
    {
        var query = string.Join('&', request.Query.Select(pair => pair.Value is null
            ? UriEncoding.EncodeComponent(pair.Key)
            : $"{UriEncoding.EncodeComponent(pair.Key)}={UriEncoding.EncodeComponent(pair.Value)}"));
        var text = $"{_baseUri.Scheme}://{request.Host}{request.Path}{(query.Length > 0 ? "?" + query : "")}";
        return new Uri(text, UriKind.Absolute);
    }

    /// <summary>The public URL of an object (no query).</summary>
    public Uri ObjectUri(string bucketName, string objectKey) => BuildUri(CreateRequest(HttpMethod.Get, bucketName, objectKey));

    private static bool IsAddressOrLocalhost(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(uri.Host, out _);
}
