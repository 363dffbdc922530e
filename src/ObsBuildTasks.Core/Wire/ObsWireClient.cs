using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Win32.SafeHandles;
using ObsBuildTasks.Wire.Signing;
using Polly;

namespace ObsBuildTasks.Wire;

/// <summary>
/// The service's operations, one method each. Every call is retried by <see cref="RetryPolicy"/>, signed again just
/// before each attempt, and fails with an <see cref="ObsException"/> (or <see cref="OperationCanceledException"/>).
/// </summary>
internal sealed class ObsWireClient : IDisposable
{
    private const int MaxErrorBodyLength = 64 * 1024;

    private readonly HttpClient _http;
    private readonly RequestSigner _signer;
    private readonly SigningCredentials _credentials;
    private readonly ResiliencePipeline _retry;
    private readonly TimeSpan _idleTimeout;
    private long _clockOffsetTicks;

    public ObsWireClient(ObsEndpoint endpoint, SigningCredentials credentials, SignatureType signature, string region,
        ResiliencePipeline retry, TimeSpan idleTimeout, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint;
        _credentials = credentials;
        _signer = RequestSigner.Create(signature, region);
        _retry = retry;
        _idleTimeout = idleTimeout;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public ObsEndpoint Endpoint { get; }

    /// <summary>The prefix of the service's own headers: <c>x-obs-</c> or <c>x-amz-</c>.</summary>
    public string HeaderPrefix => _signer.HeaderPrefix;

    /// <summary>How far the local clock is behind the server's, learnt from a <c>RequestTimeTooSkewed</c> answer.</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    public Task<string> InitiateMultipartUploadAsync(string bucket, string key, IReadOnlyDictionary<string, string> headers,
        CancellationToken cancellationToken) =>
        ExecuteAsync("InitiateMultipartUpload", () =>
        {
            var request = Endpoint.CreateRequest(HttpMethod.Post, bucket, key);
            request.Query["uploads"] = null;
            AddHeaders(request, headers);
            return request;
        }, null, (_, body) => S3Xml.ParseUploadId(body), cancellationToken);

    /// <summary>Sends one part and checks that the returned ETag is the MD5 of what was sent. <paramref name="onBytes"/>
    /// is told of every chunk sent, and of the chunks of a failed attempt again with a negative count.</summary>
    public Task<string> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, SafeFileHandle file,
        long offset, long length, string? contentMd5, Action<long> onBytes, CancellationToken cancellationToken) =>
        ExecuteAsync("UploadPart", () =>
        {
            var request = Endpoint.CreateRequest(HttpMethod.Put, bucket, key);
            request.Query["partNumber"] = partNumber.ToString(CultureInfo.InvariantCulture);
            request.Query["uploadId"] = uploadId;
            if (contentMd5 is not null)
            {
                request.Headers["Content-MD5"] = contentMd5;
            }

            return request;
        }, new FileBody(file, offset, length, onBytes), (response, _) => response.ETag ?? "", cancellationToken);

    public async Task<IReadOnlyList<UploadedPart>> ListPartsAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        var parts = new List<UploadedPart>();
        var marker = 0;
        while (true)
        {
            var page = await ExecuteAsync("ListParts", () =>
            {
                var request = Endpoint.CreateRequest(HttpMethod.Get, bucket, key);
                request.Query["uploadId"] = uploadId;
                request.Query["max-parts"] = "1000";
                if (marker > 0)
                {
                    request.Query["part-number-marker"] = marker.ToString(CultureInfo.InvariantCulture);
                }

                return request;
            }, null, (_, body) => S3Xml.ParseListParts(body), cancellationToken).ConfigureAwait(false);
            parts.AddRange(page.Parts);
            if (!page.IsTruncated || page.NextPartNumberMarker <= marker)
            {
                return parts;
            }

            marker = page.NextPartNumberMarker;
        }
    }

    public Task<WireResponse> CompleteMultipartUploadAsync(string bucket, string key, string uploadId,
        IEnumerable<(int PartNumber, string ETag)> parts, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(S3Xml.BuildCompleteBody(parts));
        return ExecuteAsync("CompleteMultipartUpload", () =>
        {
            var request = Endpoint.CreateRequest(HttpMethod.Post, bucket, key);
            request.Query["uploadId"] = uploadId;
            request.Headers["Content-Type"] = "application/xml";
            return request;
        }, new BytesBody(body), (response, text) =>
        {
            var etag = S3Xml.ParseCompleteETag(text);
            if (etag is null)
            {
                var error = S3Xml.TryParseError(text);
                throw new ObsException("CompleteMultipartUpload", Describe("CompleteMultipartUpload", HttpStatusCode.OK, error),
                    HttpStatusCode.InternalServerError, error?.Code, error?.RequestId ?? response.RequestId);
            }

            return response with { ETag = etag };
        }, cancellationToken);
    }

    public Task AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken) =>
        ExecuteAsync("AbortMultipartUpload", () =>
        {
            var request = Endpoint.CreateRequest(HttpMethod.Delete, bucket, key);
            request.Query["uploadId"] = uploadId;
            return request;
        }, null, (response, _) => response, cancellationToken);

    public async Task<IReadOnlyList<MultipartUploadInfo>> ListMultipartUploadsAsync(string bucket, string? prefix, CancellationToken cancellationToken)
    {
        var uploads = new List<MultipartUploadInfo>();
        string? keyMarker = null;
        string? uploadIdMarker = null;
        while (true)
        {
            var page = await ExecuteAsync("ListMultipartUploads", () =>
            {
                var request = Endpoint.CreateRequest(HttpMethod.Get, bucket, null);
                request.Query["uploads"] = null;
                SetIfPresent(request, "prefix", prefix);
                SetIfPresent(request, "key-marker", keyMarker);
                SetIfPresent(request, "upload-id-marker", uploadIdMarker);
                return request;
            }, null, (_, body) => S3Xml.ParseListUploads(body), cancellationToken).ConfigureAwait(false);
            uploads.AddRange(page.Uploads);
            if (!page.IsTruncated || page.NextKeyMarker is null)
            {
                return uploads;
            }

            (keyMarker, uploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }
    }

    /// <summary>Uploads a whole (small) file in one request and checks the returned ETag against its MD5.</summary>
    public Task<WireResponse> PutObjectAsync(string bucket, string key, IReadOnlyDictionary<string, string> headers,
        SafeFileHandle file, long length, string? contentMd5, Action<long> onBytes, CancellationToken cancellationToken) =>
        ExecuteAsync("PutObject", () =>
        {
            var request = Endpoint.CreateRequest(HttpMethod.Put, bucket, key);
            AddHeaders(request, headers);
            if (contentMd5 is not null)
            {
                request.Headers["Content-MD5"] = contentMd5;
            }

            return request;
        }, new FileBody(file, 0, length, onBytes), (response, _) => response, cancellationToken);

    /// <summary>The object's properties, or <see langword="null"/> when there is no such object.</summary>
    public Task<ObjectProperties?> HeadObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        ExecuteAsync<ObjectProperties?>("HeadObject", () => Endpoint.CreateRequest(HttpMethod.Head, bucket, key), null,
            (response, _) => response.Properties, cancellationToken, notFoundIsNull: true);

    public void Dispose() => _http.Dispose();

    private static void AddHeaders(ObsRequest request, IReadOnlyDictionary<string, string> headers)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }
    }

    private static void SetIfPresent(ObsRequest request, string name, string? value)
    {
        if (value is not null)
        {
            request.Query[name] = value;
        }
    }

    private async Task<T> ExecuteAsync<T>(string operation, Func<ObsRequest> createRequest, RequestBody? body,
        Func<WireResponse, string, T> read, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        try
        {
            return await _retry.ExecuteAsync(
                async token => await AttemptAsync(operation, createRequest, body, read, notFoundIsNull, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException)
        {
            throw new ObsException(operation, $"{operation} failed: {exception.Message}", innerException: exception);
        }
    }

    private async Task<T> AttemptAsync<T>(string operation, Func<ObsRequest> createRequest, RequestBody? body,
        Func<WireResponse, string, T> read, bool notFoundIsNull, CancellationToken cancellationToken)
    {
        var request = createRequest();
        _signer.Sign(request, _credentials, DateTimeOffset.UtcNow + ClockOffset);
        using var watchdog = new IdleWatchdog(_idleTimeout, cancellationToken);
        using var message = new HttpRequestMessage(request.Method, Endpoint.BuildUri(request));
        using var attempt = body?.StartAttempt(watchdog);
        message.Content = attempt?.Content
            ?? (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put ? new ByteArrayContent([]) : null);
        CopyHeaders(request, message);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
            watchdog.Touch();
            var text = request.Method == HttpMethod.Head ? "" : await ReadBodyAsync(response, watchdog.Token).ConfigureAwait(false);
            var wire = WireResponse.From(response, HeaderPrefix);
            if (response.IsSuccessStatusCode)
            {
                attempt?.Verify(operation, wire);
                return read(wire, text);
            }

            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return read(wire with { Properties = null }, text);
            }

            throw CreateError(operation, response, wire, text);
        }
        catch (OperationCanceledException) when (watchdog.TimedOut)
        {
            attempt?.Rollback();
            throw new TimeoutException($"{operation}: nothing moved for {_idleTimeout.TotalSeconds:0} s.");
        }
        catch
        {
            attempt?.Rollback();
            throw;
        }
    }

    private static void CopyHeaders(ObsRequest request, HttpRequestMessage message)
    {
        foreach (var (name, value) in request.Headers)
        {
            // .NET keeps Content-* and Expires on the content and refuses them on the request; a signed header left
            // behind fails SigV4 (SignatureDoesNotMatch) and is silently lost with OBS/V2 signing.
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || !message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content!.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(bytes, 0, response.IsSuccessStatusCode ? bytes.Length : Math.Min(bytes.Length, MaxErrorBodyLength));
    }

    private ObsException CreateError(string operation, HttpResponseMessage response, WireResponse wire, string body)
    {
        var error = S3Xml.TryParseError(body) ?? new ServiceError(DefaultCode(response.StatusCode), null, null);
        if (error.Code == "RequestTimeTooSkewed" && response.Headers.Date is { } serverDate)
        {
            Interlocked.Exchange(ref _clockOffsetTicks, (serverDate - DateTimeOffset.UtcNow).Ticks);
        }

        return new ObsException(operation, Describe(operation, response.StatusCode, error), response.StatusCode, error.Code,
            error.RequestId ?? wire.RequestId);
    }

    private static string? DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Forbidden => "Forbidden",
        _ => null,
    };

    private static string Describe(string operation, HttpStatusCode status, ServiceError? error)
    {
        var advice = error?.Code switch
        {
            "AccessDenied" => " Check that the credentials may write to this bucket.",
            "Forbidden" => " The service gave no reason (an answer without a body, e.g. to HEAD): check OBS_ACCESS_KEY_ID and OBS_SECRET_ACCESS_KEY, and that they may use this bucket.",
            "InvalidAccessKeyId" => " The access key id is not known to the service: check OBS_ACCESS_KEY_ID.",
            "SignatureDoesNotMatch" => " The secret key does not match the access key id (check OBS_SECRET_ACCESS_KEY), or the signature type does not suit this service.",
            "NoSuchBucket" => " Create the bucket first, or check its name and the endpoint's region.",
            "RequestTimeTooSkewed" => " The local clock differs from the server's by more than 15 minutes; the client corrects for it and retries.",
            _ => "",
        };
        var message = error?.Message is { Length: > 0 } text ? $": {text.TrimEnd('.', ' ')}" : "";
        return $"{operation} failed with HTTP {(int)status} {error?.Code ?? status.ToString()}{message}.{advice}";
    }
}
