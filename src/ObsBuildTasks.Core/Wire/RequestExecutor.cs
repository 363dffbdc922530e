using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ObsBuildTasks.Wire.Signing;
using Polly;

namespace ObsBuildTasks.Wire;

/// <summary>
/// Runs one <see cref="WireCall{T}"/>: each attempt is signed just before it goes, watched for idleness, its answer read
/// with a size limit; every failure becomes an <see cref="ObsException"/> of an explicit kind, and the retry pipeline
/// decides on that kind. Redirects are never followed.
/// </summary>
internal sealed class RequestExecutor : IDisposable
{
    private readonly HttpClient _http;
    private readonly SigningCredentials _credentials;
    private readonly ResiliencePipeline _retry;
    private readonly TimeSpan _idleTimeout;
    private readonly int _maxAttempts;

    /// <summary>Where requests go, for messages: the endpoint, and the proxy when one carries them (never its
    /// credentials).</summary>
    private readonly string _route;

    public RequestExecutor(ObsEndpoint endpoint, SigningCredentials credentials, int maxRetries, TimeSpan retryBaseDelay, TimeSpan idleTimeout,
        System.Net.IWebProxy? proxy, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint;
        _credentials = credentials;
        _retry = RetryPolicy.Create(maxRetries, retryBaseDelay);
        _maxAttempts = maxRetries + 1;
        _idleTimeout = idleTimeout;
        _route = proxy?.GetProxy(endpoint.BaseUri) is { } through && through != endpoint.BaseUri
            ? $"endpoint {endpoint.BaseUri}, through the proxy {through.Scheme}://{through.Authority}"
            : $"endpoint {endpoint.BaseUri}";
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = idleTimeout,
            MaxResponseDrainSize = AnswerBody.MaxErrorBytes,
            Proxy = proxy,
            ConnectCallback = ConnectAsync,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public ObsEndpoint Endpoint { get; }

    /// <summary>The correction applied to the local clock when requests are dated.</summary>
    public ClockOffset Clock { get; } = new();

    public async Task<T> ExecuteAsync<T>(WireCall<T> call, RetryListener? listener, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (listener is not null)
        {
            context.Properties.Set(RetryPolicy.ListenerKey, listener);
        }

        var attempt = 0;
        try
        {
            return await _retry.ExecuteAsync(
                async (ctx, state) => await AttemptAsync(state, Interlocked.Increment(ref attempt), ctx.CancellationToken).ConfigureAwait(false),
                context, call).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> AttemptAsync<T>(WireCall<T> call, int attempt, CancellationToken cancellationToken)
    {
        var request = call.CreateRequest();
        call.Signer.Sign(request, _credentials, Clock.ServerNow);
        using var watchdog = new IdleWatchdog(_idleTimeout, cancellationToken);
        using var message = new HttpRequestMessage(request.Method, Endpoint.BuildUri(request));
        message.Options.Set(IdleWatchdog.RequestOption, watchdog);
        using var body = call.Body?.StartAttempt(watchdog);
        message.Content = body?.Content
            ?? (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put ? new ByteArrayContent([]) : null);
        CopyHeaders(request, message);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
            watchdog.Touch("reading the answer");
            var wire = WireResponse.From(response, call.Signer.HeaderPrefix);
            if (response.IsSuccessStatusCode || call.AcceptsStatus?.Invoke(response.StatusCode) == true)
            {
                var document = call.AnswerBody == AnswerBodyUse.None
                    ? []
                    : await ReadDocumentAsync(call.Operation, response, watchdog, keptAlive: call.AnswerBody == AnswerBodyUse.KeptAliveDocument).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    body?.Verify(call.Operation, wire);
                }

                return call.Read(new WireAnswer(response.StatusCode, wire, document));
            }

            var (error, _) = request.Method == HttpMethod.Head ? ([], false) : await AnswerBody.ReadAsync(response, AnswerBody.MaxErrorBytes, watchdog).ConfigureAwait(false);
            var refusal = ServiceErrors.FromAnswer(call.Operation, response.StatusCode, wire, error, Endpoint.BaseUri, request.BucketName, Clock);
            throw body?.ExplainRefusal(refusal) ?? refusal;
        }
        catch (OperationCanceledException) when (watchdog.TimedOut)
        {
            body?.Rollback();
            throw new ObsException(call.Operation, ObsErrorKind.IdleTimeout, string.Create(CultureInfo.InvariantCulture,
                $"{call.Operation}: {watchdog.Idleness} while {watchdog.Phase} ({_route}, attempt {attempt} of {_maxAttempts}). Check Endpoint and the network; for a slow server raise IdleTimeout (seconds) or MaxRetries."));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            body?.Rollback();
            throw FindObsException(exception) ?? new ObsException(call.Operation, ObsErrorKind.Transport,
                $"{call.Operation}: {Innermost(exception).Message.TrimEnd('.')} ({_route}, attempt {attempt} of {_maxAttempts}). Check Endpoint and the network.{TlsHint(exception)}",
                innerException: exception);
        }
        catch
        {
            body?.Rollback();
            throw;
        }
    }

    /// <summary>Opens a connection (to the endpoint, or to the proxy) as the handler would, telling the attempt's
    /// watchdog, so that a timeout says whether it was connecting or waiting.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        context.InitialRequestMessage.Options.TryGetValue(IdleWatchdog.RequestOption, out var watchdog);
        watchdog?.Touch($"connecting to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            watchdog?.Touch("waiting for the answer");
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadDocumentAsync(string operation, HttpResponseMessage response, IdleWatchdog watchdog, bool keptAlive)
    {
        var (bytes, truncated) = await AnswerBody.ReadAsync(response, AnswerBody.MaxDocumentBytes, watchdog, keptAlive).ConfigureAwait(false);
        return truncated
            ? throw S3Xml.Malformed(operation, $"the answer is larger than {AnswerBody.MaxDocumentBytes / (1024 * 1024)} MiB, more than any valid answer")
            : bytes;
    }

    private static void CopyHeaders(ObsRequest request, HttpRequestMessage message)
    {
        foreach (var (name, value) in request.Headers)
        {
            // Inputs are validated before any request; this guards the invariant that no header can be injected.
            if (HasControlCharacter(value) || name.AsSpan().IndexOfAnyExceptInRange('!', '~') >= 0 || name.Contains(':', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The header '{SafeText.Printable(name)}' holds characters a header cannot carry.");
            }

            // .NET keeps Content-* and Expires on the content and refuses them on the request; a signed header left
            // behind fails SigV4 (SignatureDoesNotMatch) and is silently lost with OBS/V2 signing.
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || !message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content!.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> holds a character <see cref="char.IsControl(char)"/> is true for
    /// (U+0000..U+001F, U+007F..U+009F).</summary>
    private static bool HasControlCharacter(string value) =>
        value.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || value.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;

    /// <summary>A failure the engine raised itself while the body was being sent (the file changed or could not be
    /// read), which the HTTP stack wraps.</summary>
    private static ObsException? FindObsException(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is ObsException obs)
            {
                return obs;
            }
        }

        return null;
    }

    /// <summary>What to check when an https endpoint's connection failed its TLS handshake: often a server that speaks
    /// plain HTTP (a local store, a port of its own), given without a scheme or with https.</summary>
    private string TlsHint(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException && Endpoint.BaseUri.Scheme == Uri.UriSchemeHttps)
            {
                return " The TLS handshake failed: if the server speaks plain HTTP, write http:// in Endpoint; otherwise check its certificate.";
            }
        }

        return "";
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
