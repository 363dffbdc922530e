using System.Globalization;
using System.Net;
using System.Text;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Wire;

/// <summary>
/// The service's operations on one bucket, one method each. Every call is retried on transient failures, signed again
/// before each attempt, and fails with an <see cref="ObsException"/> (or <see cref="OperationCanceledException"/>).
/// What a call returns has been checked: an upload id is a plain token, a part's ETag the MD5 of what was sent.
/// </summary>
internal sealed class BucketClient
{
    private const int PageSize = 1000;

    /// <summary>The most pages ListParts may take: services page up to 1,000 parts, so an upload of 10,000 parts takes
    /// 10; this allows pages of 10 parts.</summary>
    private const int MaxPartPages = 1000;

    /// <summary>The most pages ListMultipartUploads may take: 100,000 unfinished uploads at the services' 1,000 a page.
    /// The engine lists the uploads of one key, which a build leaves at most a few of.</summary>
    private const int MaxUploadPages = 100;

    private readonly RequestExecutor _executor;
    private readonly SignatureNegotiator _negotiator;
    private BucketDialect _dialect;

    public BucketClient(RequestExecutor executor, SignatureNegotiator negotiator, string bucketName, BucketDialect dialect)
    {
        _executor = executor;
        _negotiator = negotiator;
        _dialect = dialect;
        BucketName = bucketName;
    }

    public string BucketName { get; }

    /// <summary>The prefix of the service's own headers: <c>x-obs-</c> or <c>x-amz-</c>.</summary>
    public string HeaderPrefix => _dialect.HeaderPrefix;

    public ObsEndpoint Endpoint => _executor.Endpoint;

    /// <summary>The server's clock as the client knows it, for matching the times the server reports.</summary>
    public DateTimeOffset ServerNow => _executor.Clock.ServerNow;

    /// <summary>Starts a multipart upload; returns its id, checked to be a plain token of an upload of this key.</summary>
    public Task<string> InitiateMultipartUploadAsync(string key, IReadOnlyDictionary<string, string> headers, RetryListener? onRetry,
        CancellationToken cancellationToken)
    {
        const string Operation = "InitiateMultipartUpload";
        return RunAsync(Operation, () =>
        {
            var request = CreateRequest(HttpMethod.Post, key);
            request.Query["uploads"] = null;
            AddHeaders(request, headers);
            return request;
        }, UnlessErrorDocument(Operation, answer => S3Xml.ParseUploadId(Operation, answer.Body, BucketName, key)),
        onRetry, cancellationToken, call => call with { AnswerBody = AnswerBodyUse.Document });
    }

    /// <summary>Sends one part with its MD5 (computed beforehand) as <c>Content-MD5</c>; returns its ETag (lowercase hex),
    /// which has been checked to be that MD5.
    /// <paramref name="onBytes"/> is told of every chunk sent, and of a failed attempt's chunks again, negated.</summary>
    public Task<string> UploadPartAsync(string key, string uploadId, int partNumber, LocalFile file, long offset, long length, byte[] contentMd5,
        Action<long> onBytes, RetryListener? onRetry, CancellationToken cancellationToken) =>
        RunAsync("UploadPart", () =>
        {
            var request = CreateRequest(HttpMethod.Put, key);
            request.Query["partNumber"] = partNumber.ToString(CultureInfo.InvariantCulture);
            request.Query["uploadId"] = uploadId;
            request.Headers["Content-MD5"] = Convert.ToBase64String(contentMd5);
            return request;
        }, answer => answer.Response.ETag!.ToLowerInvariant(), onRetry, cancellationToken,
        call => call with { Body = new FileBody(new FileSlice(file, offset, length, contentMd5), onBytes) });

    /// <summary>The parts the server holds for the upload (all pages). A server that keeps saying there is more fails
    /// with <see cref="ObsErrorKind.MalformedAnswer"/>: every further page must list a part after the last marker (so no
    /// more than 10,000 pages could ever follow), and there are at most <see cref="MaxPartPages"/> pages.</summary>
    public async Task<IReadOnlyList<UploadedPart>> ListPartsAsync(string key, string uploadId, RetryListener? onRetry, CancellationToken cancellationToken)
    {
        const string Operation = "ListParts";
        var parts = new List<UploadedPart>();
        for (int marker = 0, pages = 1; ; pages++)
        {
            var page = await RunAsync(Operation, () =>
            {
                var request = CreateRequest(HttpMethod.Get, key);
                request.Query["uploadId"] = uploadId;
                request.Query["max-parts"] = PageSize.ToString(CultureInfo.InvariantCulture);
                if (marker > 0)
                {
                    request.Query["part-number-marker"] = marker.ToString(CultureInfo.InvariantCulture);
                }

                return request;
            }, UnlessErrorDocument(Operation, answer => S3Xml.ParseListParts(Operation, answer.Body)), onRetry, cancellationToken,
            call => call with { AnswerBody = AnswerBodyUse.Document }).ConfigureAwait(false);
            parts.AddRange(page.Parts);
            if (!page.IsTruncated || page.NextPartNumberMarker <= marker)
            {
                return parts;
            }

            if (!page.Parts.Any(part => part.PartNumber > marker))
            {
                throw EndlessListing(Operation, string.Create(CultureInfo.InvariantCulture, $"but page {pages} listed no part after part {marker}"));
            }

            if (pages == MaxPartPages)
            {
                throw EndlessListing(Operation, string.Create(CultureInfo.InvariantCulture,
                    $"after {pages} pages ({parts.Count} parts), more than an upload of {UploadFileRequest.MaxPartCount} parts needs"));
            }

            marker = page.NextPartNumberMarker;
        }
    }

    /// <summary>Completes the upload; the answer's ETag is the object's (not yet compared with the expected one).</summary>
    public Task<WireResponse> CompleteMultipartUploadAsync(string key, string uploadId, IEnumerable<(int PartNumber, string ETag)> parts,
        RetryListener? onRetry, CancellationToken cancellationToken)
    {
        const string Operation = "CompleteMultipartUpload";
        var body = Encoding.UTF8.GetBytes(S3Xml.BuildCompleteBody(parts));
        return RunAsync(Operation, () =>
        {
            var request = CreateRequest(HttpMethod.Post, key);
            request.Query["uploadId"] = uploadId;
            request.Headers["Content-Type"] = "application/xml";
            return request;
        }, UnlessErrorDocument(Operation, answer => answer.Response with { ETag = S3Xml.ParseComplete(Operation, answer.Body) }), onRetry, cancellationToken, call => call with { Body = new BytesBody(body), AnswerBody = AnswerBodyUse.KeptAliveDocument });
    }

    /// <summary>Aborts an upload; one that is already gone counts as aborted.</summary>
    public async Task AbortMultipartUploadAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync("AbortMultipartUpload", () =>
            {
                var request = CreateRequest(HttpMethod.Delete, key);
                request.Query["uploadId"] = uploadId;
                return request;
            }, _ => true, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            // Already gone: nothing is billed for it.
        }
    }

    /// <summary>The unfinished uploads of keys starting with <paramref name="prefix"/> (all pages, at most
    /// <see cref="MaxUploadPages"/>), and the server's time when it was asked.</summary>
    public async Task<UploadListing> ListMultipartUploadsAsync(string? prefix, CancellationToken cancellationToken)
    {
        const string Operation = "ListMultipartUploads";
        var uploads = new List<MultipartUploadInfo>();
        string? keyMarker = null, uploadIdMarker = null;
        DateTimeOffset? serverDate = null;
        for (var pages = 1; ; pages++)
        {
            var (page, date) = await RunAsync(Operation, () =>
            {
                var request = CreateRequest(HttpMethod.Get, null);
                request.Query["uploads"] = null;
                SetIfPresent(request.Query, "prefix", prefix);
                SetIfPresent(request.Query, "key-marker", keyMarker);
                SetIfPresent(request.Query, "upload-id-marker", uploadIdMarker);
                return request;
            }, UnlessErrorDocument(Operation, answer => (S3Xml.ParseListUploads(Operation, answer.Body), answer.Response.ServerDate)), null, cancellationToken,
            call => call with { AnswerBody = AnswerBodyUse.Document }).ConfigureAwait(false);
            uploads.AddRange(page.Uploads);
            serverDate ??= date;
            if (!page.IsTruncated || page.NextKeyMarker is null || (page.NextKeyMarker == keyMarker && page.NextUploadIdMarker == uploadIdMarker))
            {
                return new UploadListing(uploads, serverDate);
            }

            if (pages == MaxUploadPages)
            {
                throw EndlessListing(Operation, string.Create(CultureInfo.InvariantCulture,
                    $"after {pages} pages ({uploads.Count} unfinished uploads of keys starting with '{SafeText.Printable(prefix)}'), more than any build leaves"));
            }

            (keyMarker, uploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }
    }

    /// <summary>One page (up to 1,000) of the objects whose keys start with <paramref name="prefix"/> and come after
    /// <paramref name="marker"/>, in the order of their keys' UTF-8 bytes.</summary>
    public Task<ObjectListingPage> ListObjectsAsync(string prefix, string? marker, CancellationToken cancellationToken)
    {
        const string Operation = "ListObjects";
        return RunAsync(Operation, () =>
        {
            var request = CreateRequest(HttpMethod.Get, null);
            request.Query["prefix"] = prefix;
            request.Query["max-keys"] = PageSize.ToString(CultureInfo.InvariantCulture);
            SetIfPresent(request.Query, "marker", marker);
            return request;
        }, UnlessErrorDocument(Operation, answer => S3Xml.ParseListObjects(Operation, answer.Body)), null, cancellationToken,
        call => call with { AnswerBody = AnswerBodyUse.Document });
    }

    /// <summary>Uploads a whole (small) file in one request; the answer's ETag has been checked against its MD5, which
    /// was computed beforehand and is sent as <c>Content-MD5</c>, so that the service refuses a body that differs from it.</summary>
    public Task<WireResponse> PutObjectAsync(string key, IReadOnlyDictionary<string, string> headers, LocalFile file, byte[] contentMd5,
        Action<long> onBytes, RetryListener? onRetry, CancellationToken cancellationToken) =>
        RunAsync("PutObject", () =>
        {
            var request = CreateRequest(HttpMethod.Put, key);
            AddHeaders(request, headers);
            request.Headers["Content-MD5"] = Convert.ToBase64String(contentMd5);
            return request;
        }, answer => answer.Response, onRetry, cancellationToken, call => call with { Body = new FileBody(new FileSlice(file, 0, file.Length, contentMd5), onBytes) });

    /// <summary>The object's properties, or <see langword="null"/> when there is no such object.</summary>
    public Task<ObjectProperties?> HeadObjectAsync(string key, CancellationToken cancellationToken) =>
        RunAsync("HeadObject", () => CreateRequest(HttpMethod.Head, key),
            answer => answer.Status == HttpStatusCode.NotFound ? null : answer.Response.Properties, null, cancellationToken,
            call => call with { AcceptsStatus = status => status == HttpStatusCode.NotFound });

    private ObsRequest CreateRequest(HttpMethod method, string? key) => Endpoint.CreateRequest(method, BucketName, key);

    /// <summary>Runs one operation with the bucket's signer. A V4 refusal that names another region is retried once in
    /// that region when the region was negotiated; a refusal of a configured signature says what the service speaks.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<ObsRequest> createRequest, Func<WireAnswer, T> read, RetryListener? onRetry,
        CancellationToken cancellationToken, Func<WireCall<T>, WireCall<T>>? configure = null)
    {
        for (var regionRetried = false; ; regionRetried = true)
        {
            var dialect = _dialect;
            var call = new WireCall<T>(operation, dialect.Signer, createRequest, read);
            try
            {
                return await _executor.ExecuteAsync(configure is null ? call : configure(call), onRetry, cancellationToken).ConfigureAwait(false);
            }
            catch (ObsException exception) when (!regionRetried && exception.ErrorCode == "AuthorizationHeaderMalformed"
                && _negotiator.AdoptRegion(BucketName, dialect, exception.ExpectedRegion))
            {
                _dialect = dialect.InRegion(exception.ExpectedRegion!);
            }
            catch (ObsException exception) when (IsRefusal(exception))
            {
                if (await _negotiator.ExplainRefusalAsync(BucketName, cancellationToken).ConfigureAwait(false) is { } explanation)
                {
                    throw new ObsException(exception.Operation, exception.Kind, exception.Message + explanation, exception.StatusCode,
                        exception.ErrorCode, exception.RequestId, exception);
                }

                throw;
            }
        }
    }

    /// <summary>Reads a 2xx answer's document with <paramref name="read"/>, unless the document is an S3
    /// <c>&lt;Error&gt;</c>: services may accept a request at once and report in the body that it failed, and that
    /// is then the service error it carries (retried as its code is), never a document that lacks a value.</summary>
    private static Func<WireAnswer, T> UnlessErrorDocument<T>(string operation, Func<WireAnswer, T> read) => answer =>
        S3Xml.TryParseError(answer.Body) is { } error ? throw ServiceErrors.InAcceptedAnswer(operation, answer.Status, error, answer.Response.RequestId) : read(answer);

    /// <summary>The failure for a listing whose pages never end: the server kept answering IsTruncated.</summary>
    private static ObsException EndlessListing(string operation, string evidence) => S3Xml.Malformed(operation,
        $"the server kept answering that there is more (IsTruncated) {evidence}. OBS and S3 do not page like this: check for a proxy or gateway between the build and the store, and check Endpoint");

    private static bool IsRefusal(ObsException exception) =>
        exception.Kind == ObsErrorKind.Service && exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest
        && exception.ErrorCode is "SignatureDoesNotMatch" or "AccessDenied" or "InvalidAccessKeyId" or "Forbidden" or "InvalidArgument"
            or "AuthorizationHeaderMalformed";

    private static void AddHeaders(ObsRequest request, IReadOnlyDictionary<string, string> headers)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }
    }

    private static void SetIfPresent(SortedDictionary<string, string?> query, string name, string? value)
    {
        if (value is not null)
        {
            query[name] = value;
        }
    }
}

/// <summary>Unfinished uploads, and the server's time (<c>Date</c>) when they were listed.</summary>
internal sealed record UploadListing(IReadOnlyList<MultipartUploadInfo> Uploads, DateTimeOffset? ServerDate);
