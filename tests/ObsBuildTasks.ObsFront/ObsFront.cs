using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ObsBuildTasks.ObsFront;

/// <summary>
/// Answers one request: the protocol probe (<c>HEAD /?apiversion</c>, no authentication) itself; a request that fails
/// <see cref="ObsAuthenticator"/> with an OBS error; everything else by the store through <see cref="StoreForwarder"/>.
/// Writes one line per request to <paramref name="log"/>, never a secret.
/// </summary>
public sealed class ObsFront(FrontOptions options, TextWriter log, TimeProvider time) : IDisposable
{
    private const string HostId = "obs-front";
    private readonly ObsAuthenticator _authenticator = new(options.Credentials);
    private readonly StoreForwarder _store = new(options.Store, time);

    /// <summary>Handles a request (the application's only middleware).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetTimestamp();
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var requestId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var (accessKeyId, outcome) = await AnswerAsync(context, rawTarget, requestId).ConfigureAwait(false);
        var request = context.Request;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {context.Connection.RemoteIpAddress}:{context.Connection.RemotePort} {request.Method} {request.Host} {rawTarget} ak={accessKeyId ?? "-"} {context.Response.StatusCode} {outcome} length={request.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "-"} {time.GetElapsedTime(started).TotalMilliseconds:0.0}ms id={requestId}")).ConfigureAwait(false);
    }

    private async Task<(string? AccessKeyId, string Outcome)> AnswerAsync(HttpContext context, string rawTarget, string requestId)
    {
        var request = context.Request;
        if (!rawTarget.StartsWith('/'))
        {
            return (null, await RefuseAsync(context, ObsError.InvalidUri(rawTarget), requestId).ConfigureAwait(false));
        }

        var target = RequestTarget.Parse(request.Host.Host, rawTarget, options.Endpoint.Host);
        if (HttpMethods.IsHead(request.Method) && !target.HasKey && target.QueryParameters().Any(parameter => parameter.Name == "apiversion"))
        {
            context.Response.Headers["x-obs-api"] = "3.0";
            context.Response.Headers["x-obs-request-id"] = requestId;
            return (null, "probe");
        }

        var (accessKeyId, error) = _authenticator.Authenticate(request.Method, target, request.Headers, time.GetUtcNow());
        if (error is not null)
        {
            return (accessKeyId, await RefuseAsync(context, error, requestId).ConfigureAwait(false));
        }

        try
        {
            await _store.ForwardAsync(context, target).ConfigureAwait(false);
            return (accessKeyId, "forwarded");
        }
        catch (HttpRequestException exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            return (accessKeyId, await RefuseAsync(context, ObsError.StoreUnavailable(exception.Message), requestId).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
        {
            // Half an answer must not look like a whole one: drop the connection.
            context.Abort();
            return (accessKeyId, "aborted:" + exception.GetType().Name);
        }
    }

    private static async Task<string> RefuseAsync(HttpContext context, ObsError error, string requestId)
    {
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.Headers["x-obs-request-id"] = requestId;
        response.Headers["x-obs-id-2"] = HostId;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // OBS answers HEAD without a body, the code in a header.
            response.Headers["x-obs-error-code"] = error.Code;
            response.Headers["x-obs-error-message"] = error.Message;
            return error.Code;
        }

        var body = Encoding.UTF8.GetBytes(error.ToXml(requestId, HostId));
        response.ContentType = "application/xml";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        return error.Code;
    }

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();
}
