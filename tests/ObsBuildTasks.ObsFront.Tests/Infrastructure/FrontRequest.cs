using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Infrastructure;

/// <summary>
/// A request to the front with its exact request target (never normalised), signed with the OBS signature over
/// exactly what is sent. The StringToSign comes from the front's own builder, which the vector tests pin down.
/// </summary>
internal sealed class FrontRequest(HttpMethod method, string rawTarget)
{
    private static readonly UriCreationOptions RawUri = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>Headers to send (and sign): <c>x-obs-*</c>, <c>Content-Type</c>, <c>Content-MD5</c>...</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>Date</c> header. Default: now.</summary>
    public DateTimeOffset Date { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The body, if any.</summary>
    public HttpContent? Content { get; init; }

    /// <summary>Addresses this bucket as a virtual host (<c>{bucket}.localhost</c>) instead of path-style.</summary>
    public string? VirtualHostBucket { get; init; }

    /// <summary>The object's path-style request target: each key segment percent-encoded (RFC 3986), <c>/</c> kept.</summary>
    public static string ObjectTarget(string bucket, string key) =>
        $"/{bucket}/{string.Join('/', key.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>Sends the request signed with <paramref name="accessKeyId"/> and <paramref name="secretAccessKey"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(LocalObsFront front, string accessKeyId, string secretAccessKey) =>
        SendAsync(front.Endpoint, (accessKeyId, secretAccessKey));

    /// <summary>Sends the request signed with the front's permanent key, to <paramref name="endpoint"/> when given
    /// (a front of the test's own) or to <paramref name="front"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(LocalObsFront front, Uri? endpoint = null) =>
        SendAsync(endpoint ?? front.Endpoint, (front.AccessKeyId, front.SecretAccessKey));

    /// <summary>Sends the request without an <c>Authorization</c> header.</summary>
    public Task<HttpResponseMessage> SendUnsignedAsync(LocalObsFront front) => SendAsync(front.Endpoint, null);

    private async Task<HttpResponseMessage> SendAsync(Uri endpoint, (string AccessKeyId, string Secret)? credentials)
    {
        using var message = new HttpRequestMessage(method, new Uri(endpoint.GetLeftPart(UriPartial.Authority) + rawTarget, RawUri)) { Content = Content };
        var host = VirtualHostBucket is null ? endpoint.Host : $"{VirtualHostBucket}.{endpoint.Host}";
        message.Headers.Host = $"{host}:{endpoint.Port}";
        message.Headers.TryAddWithoutValidation("Date", Date.ToString("r", CultureInfo.InvariantCulture));
        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (credentials is var (accessKeyId, secret))
        {
            var headers = new HeaderDictionary();
            IEnumerable<KeyValuePair<string, HeaderStringValues>> contentHeaders = message.Content is null ? [] : message.Content.Headers.NonValidated;
            foreach (var (name, values) in message.Headers.NonValidated.Concat(contentHeaders))
            {
                headers.Append(name, values.ToArray());
            }

            var stringToSign = ObsStringToSign.Build(method.Method, RequestTarget.Parse(host, rawTarget, endpoint.Host), headers);
            message.Headers.TryAddWithoutValidation("Authorization", $"OBS {accessKeyId}:{ObsStringToSign.Sign(stringToSign, secret)}");
        }

        return await Http.SendAsync(message);
    }
}
