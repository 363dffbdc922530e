using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ObsBuildTasks.ObsFront;

/// <summary>
/// Sends an accepted request on to the store, re-signed with SigV4, and streams the answer back: the raw path and
/// query go out exactly as received (no decoding, no dot-segment removal), bodies are streamed both ways with their
/// <c>Content-Length</c>, headers are renamed by <see cref="HeaderMapping"/>.
/// </summary>
public sealed class StoreForwarder : IDisposable
{
    private const int BufferSize = 128 * 1024;
    private static readonly UriCreationOptions RawUri = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly StoreOptions _store;
    private readonly StoreSigner _signer;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // Header bytes pass through unchanged: UTF-8 in (as the client signed them), Latin-1 (byte for byte) out.
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        ResponseHeaderEncodingSelector = (_, _) => Encoding.Latin1,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Creates a forwarder to <paramref name="store"/>.</summary>
    public StoreForwarder(StoreOptions store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _signer = new StoreSigner(store.AccessKeyId, store.SecretAccessKey, store.Region);
        _time = time;
    }

    /// <summary>Forwards the request of <paramref name="context"/> and writes the store's answer to its response.</summary>
    /// <exception cref="HttpRequestException">The store could not be reached or the client's body failed.</exception>
    public async Task ForwardAsync(HttpContext context, RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        using var request = CreateRequest(context, target);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            if (HeaderMapping.ToClient(name) is { } clientName)
            {
                context.Response.Headers.Append(clientName, values.ToArray());
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private HttpRequestMessage CreateRequest(HttpContext context, RequestTarget target)
    {
        var incoming = context.Request;
        var query = target.RawQuery.Length == 0 ? "" : "?" + target.RawQuery;
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method),
            new Uri(_store.Endpoint.GetLeftPart(UriPartial.Authority) + target.StorePath + query, RawUri));
        // A body, or at least its headers: an Initiate has no body but fixes the object's Content-Type.
        if (incoming.ContentLength is not null || context.Features.GetRequiredFeature<IHttpRequestBodyDetectionFeature>().CanHaveBody)
        {
            request.Content = new StreamContent(incoming.Body, BufferSize) { Headers = { ContentLength = incoming.ContentLength } };
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (HeaderMapping.ToStore(name) is { } storeName && !request.Headers.TryAddWithoutValidation(storeName, values.ToString()))
            {
                request.Content?.Headers.TryAddWithoutValidation(storeName, values.ToString());
            }
        }

        _signer.Sign(request, target, _time.GetUtcNow());
        return request;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
