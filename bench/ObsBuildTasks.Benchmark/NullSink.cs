using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ObsBuildTasks.Benchmark;

/// <summary>
/// A minimal S3 endpoint (path style) that answers the multipart protocol and discards the bodies: the client's own
/// ceiling when the store is not the bottleneck. Any signature is accepted (none is checked).
/// <para>ETags must be true MD5s (ours checks every part's ETag against the MD5 of what it sent; awscli and rclone
/// send Content-MD5). To keep the sink's CPU out of the way, the ETag of a body whose file and place are known from
/// the benchmark's manifest (file name = last key segment, part number, length) is looked up instead of hashed; any
/// other body is hashed. <c>--hash</c> hashes every body.</para>
/// <para>Counters (requests, body bytes received, bytes of completed parts and objects) are read at <c>GET /__stats</c>;
/// <c>POST /__reset</c> forgets the objects and uploads (not the counters).</para>
/// </summary>
internal sealed class NullSink
{
    private const string S3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    private readonly Manifest _manifest;
    private readonly bool _alwaysHash;
    private readonly bool _trace;
    private readonly ConcurrentDictionary<string, SinkUpload> _uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SinkObject> _objects = new(StringComparer.Ordinal);
    private long _requests;
    private long _bodyBytes;
    private long _completedBytes;
    private long _hashedBytes;
    private long _uploadIds;

    private NullSink(Manifest manifest, bool alwaysHash, bool trace)
    {
        _manifest = manifest;
        _alwaysHash = alwaysHash;
        _trace = trace;
    }

    /// <summary>Runs the sink until the process is stopped. Prints "listening PORT" once it accepts requests.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var port = 18090;
        string? manifestPath = null;
        var alwaysHash = false;
        var trace = false;
        for (var index = 0; index < args.Length; index++)
        {
            switch (args[index])
            {
                case "--port": port = int.Parse(args[++index], CultureInfo.InvariantCulture); break;
                case "--manifest": manifestPath = args[++index]; break;
                case "--hash": alwaysHash = true; break;
                case "--trace": trace = true; break;
                default: throw new ArgumentException($"sink: unknown argument {args[index]}");
            }
        }

        var sink = new NullSink(manifestPath is null ? Manifest.Empty : Manifest.Load(manifestPath), alwaysHash, trace);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.Limits.MaxRequestBodySize = null;
            options.Limits.MinRequestBodyDataRate = null;
            options.Limits.MaxRequestLineSize = 64 * 1024;
            options.AddServerHeader = false;
        });
        await using var app = builder.Build();
        app.Run(sink.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"listening {port}");
        // Runs until the driver kills it or its stdin closes (the driver went away).
        await Task.Run(() => Console.In.ReadToEnd()).ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/__", StringComparison.Ordinal))
        {
            await ControlAsync(context, path).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _requests);
        if (_trace)
        {
            var headers = request.Headers;
            var checksums = string.Join(' ', headers.Where(header => header.Key.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase)
                || header.Key.Equals("x-amz-trailer", StringComparison.OrdinalIgnoreCase)).Select(header => $"{header.Key}={header.Value}"));
            Console.Error.WriteLine($"{request.Method} {path}{request.QueryString} len={request.ContentLength} te={headers.TransferEncoding} sha256={headers["x-amz-content-sha256"]} md5={headers.ContentMD5} {checksums} expect={headers.Expect} auth={headers.Authorization.ToString().Split(' ')[0]} ua={headers.UserAgent}");
        }

        var slash = path.IndexOf('/', 1);
        var bucket = slash < 0 ? path[1..] : path[1..slash];
        var key = slash < 0 ? "" : path[(slash + 1)..];
        var query = request.Query;
        try
        {
            if (key.Length == 0)
            {
                await BucketAsync(context, bucket, query).ConfigureAwait(false);
                return;
            }

            switch (request.Method)
            {
                case "POST" when query.ContainsKey("uploads"):
                    await InitiateAsync(context, bucket, key).ConfigureAwait(false);
                    break;
                case "POST" when query.ContainsKey("uploadId"):
                    await CompleteAsync(context, bucket, key, query["uploadId"].ToString()).ConfigureAwait(false);
                    break;
                case "PUT" when query.ContainsKey("partNumber") && query.ContainsKey("uploadId"):
                    await UploadPartAsync(context, key, query["uploadId"].ToString(),
                        int.Parse(query["partNumber"].ToString(), CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    break;
                case "PUT":
                    await PutObjectAsync(context, key).ConfigureAwait(false);
                    break;
                case "GET" when query.ContainsKey("uploadId"):
                    await ListPartsAsync(context, bucket, key, query).ConfigureAwait(false);
                    break;
                case "DELETE" when query.ContainsKey("uploadId"):
                    _uploads.TryRemove(query["uploadId"].ToString(), out _);
                    context.Response.StatusCode = 204;
                    break;
                case "DELETE":
                    _objects.TryRemove(key, out _);
                    context.Response.StatusCode = 204;
                    break;
                case "HEAD" or "GET":
                    await HeadObjectAsync(context, key).ConfigureAwait(false);
                    break;
                default:
                    await ErrorAsync(context, 501, "NotImplemented", $"{request.Method} {path}").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away (a killed client in the resume scenario): its partial body was counted.
            context.Abort();
        }
    }

    private async Task ControlAsync(HttpContext context, string path)
    {
        switch (path)
        {
            case "/__stats":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new SinkStats(
                    Interlocked.Read(ref _requests), Interlocked.Read(ref _bodyBytes), Interlocked.Read(ref _completedBytes),
                    Interlocked.Read(ref _hashedBytes), _uploads.Count, _objects.Count), SinkJson.Default.SinkStats)).ConfigureAwait(false);
                break;
            case "/__reset":
                _uploads.Clear();
                _objects.Clear();
                context.Response.StatusCode = 204;
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private async Task BucketAsync(HttpContext context, string bucket, IQueryCollection query)
    {
        var request = context.Request;
        if (request.Method is "PUT" or "HEAD" or "DELETE")
        {
            await DrainAsync(request, null).ConfigureAwait(false);
            context.Response.StatusCode = request.Method == "DELETE" ? 204 : 200;
            return;
        }

        if (query.ContainsKey("location"))
        {
            await XmlAsync(context, new XElement(Name("LocationConstraint"))).ConfigureAwait(false);
            return;
        }

        if (query.ContainsKey("uploads"))
        {
            await XmlAsync(context, new XElement(Name("ListMultipartUploadsResult"),
                new XElement(Name("Bucket"), bucket), new XElement(Name("IsTruncated"), "false"),
                _uploads.Where(pair => pair.Value.Bucket == bucket).Select(pair => new XElement(Name("Upload"),
                    new XElement(Name("Key"), pair.Value.Key), new XElement(Name("UploadId"), pair.Key),
                    new XElement(Name("Initiated"), Timestamp(pair.Value.Initiated)))))).ConfigureAwait(false);
            return;
        }

        // ListObjects (v1 or v2): the objects under the prefix; with a delimiter, only those without one after it.
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var listed = _objects
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)
                && (delimiter.Length == 0 || !pair.Key[prefix.Length..].Contains(delimiter, StringComparison.Ordinal)))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(1000)
            .ToList();
        await XmlAsync(context, new XElement(Name("ListBucketResult"),
            new XElement(Name("Name"), bucket), new XElement(Name("Prefix"), prefix),
            new XElement(Name("KeyCount"), listed.Count), new XElement(Name("MaxKeys"), 1000),
            new XElement(Name("IsTruncated"), "false"),
            listed.Select(pair => new XElement(Name("Contents"),
                new XElement(Name("Key"), pair.Key), new XElement(Name("LastModified"), Timestamp(pair.Value.Modified)),
                new XElement(Name("ETag"), Quote(pair.Value.ETag)), new XElement(Name("Size"), pair.Value.Size),
                new XElement(Name("StorageClass"), "STANDARD"))))).ConfigureAwait(false);
    }

    private async Task InitiateAsync(HttpContext context, string bucket, string key)
    {
        await DrainAsync(context.Request, null).ConfigureAwait(false);
        var uploadId = "sink-" + Interlocked.Increment(ref _uploadIds).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        _uploads[uploadId] = new SinkUpload(bucket, key, DateTimeOffset.UtcNow, GetHeaders(context.Request));
        await XmlAsync(context, new XElement(Name("InitiateMultipartUploadResult"),
            new XElement(Name("Bucket"), bucket), new XElement(Name("Key"), key), new XElement(Name("UploadId"), uploadId))).ConfigureAwait(false);
    }

    private async Task UploadPartAsync(HttpContext context, string key, string uploadId, int partNumber)
    {
        if (!_uploads.TryGetValue(uploadId, out var upload))
        {
            await DrainAsync(context.Request, null).ConfigureAwait(false);
            await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist.").ConfigureAwait(false);
            return;
        }

        var length = context.Request.ContentLength ?? -1;
        var known = _alwaysHash ? null : _manifest.PartMd5(FileName(key), partNumber, length);
        var (received, md5) = await DrainAsync(context.Request, known is null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null).ConfigureAwait(false);
        if (length >= 0 && received != length)
        {
            context.Abort();
            return;
        }

        var etag = known ?? md5!;
        upload.Parts[partNumber] = new SinkPart(etag, received, DateTimeOffset.UtcNow);
        Interlocked.Add(ref _completedBytes, received);
        context.Response.Headers.ETag = Quote(etag);
    }

    private async Task PutObjectAsync(HttpContext context, string key)
    {
        // esdk-obs-nodejs sends a file's body chunked, without Content-Length: expect the generated file's size then.
        var length = context.Request.ContentLength ?? _manifest.Size(FileName(key)) ?? -1;
        var known = _alwaysHash ? null : _manifest.WholeMd5(FileName(key), length);
        var (received, md5) = await DrainAsync(context.Request, known is null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null).ConfigureAwait(false);
        if (length >= 0 && received != length)
        {
            context.Abort();
            return;
        }

        var etag = known ?? md5!;
        _objects[key] = new SinkObject(received, etag, DateTimeOffset.UtcNow, GetHeaders(context.Request));
        Interlocked.Add(ref _completedBytes, received);
        context.Response.Headers.ETag = Quote(etag);
    }

    private async Task CompleteAsync(HttpContext context, string bucket, string key, string uploadId)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        Interlocked.Add(ref _bodyBytes, Encoding.UTF8.GetByteCount(text));
        if (!_uploads.TryGetValue(uploadId, out var upload))
        {
            await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist.").ConfigureAwait(false);
            return;
        }

        var numbers = XDocument.Parse(text).Descendants().Where(element => element.Name.LocalName == "PartNumber")
            .Select(element => int.Parse(element.Value, CultureInfo.InvariantCulture)).ToList();
        var concatenated = new List<byte>(numbers.Count * 16);
        long size = 0;
        foreach (var number in numbers)
        {
            if (!upload.Parts.TryGetValue(number, out var part))
            {
                await ErrorAsync(context, 400, "InvalidPart", $"Part {number} was not uploaded.").ConfigureAwait(false);
                return;
            }

            concatenated.AddRange(Convert.FromHexString(part.ETag));
            size += part.Size;
        }

        var etag = $"{Convert.ToHexStringLower(MD5.HashData(concatenated.ToArray()))}-{numbers.Count}";
        _objects[key] = new SinkObject(size, etag, DateTimeOffset.UtcNow, upload.Headers);
        _uploads.TryRemove(uploadId, out _);
        await XmlAsync(context, new XElement(Name("CompleteMultipartUploadResult"),
            new XElement(Name("Location"), $"http://{context.Request.Host}/{bucket}/{key}"),
            new XElement(Name("Bucket"), bucket), new XElement(Name("Key"), key), new XElement(Name("ETag"), Quote(etag)))).ConfigureAwait(false);
    }

    private async Task ListPartsAsync(HttpContext context, string bucket, string key, IQueryCollection query)
    {
        var uploadId = query["uploadId"].ToString();
        if (!_uploads.TryGetValue(uploadId, out var upload))
        {
            await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist.").ConfigureAwait(false);
            return;
        }

        var marker = int.TryParse(query["part-number-marker"], CultureInfo.InvariantCulture, out var m) ? m : 0;
        var max = int.TryParse(query["max-parts"], CultureInfo.InvariantCulture, out var x) ? Math.Clamp(x, 1, 1000) : 1000;
        var all = upload.Parts.Where(pair => pair.Key > marker).OrderBy(pair => pair.Key).ToList();
        var page = all.Take(max).ToList();
        var truncated = all.Count > page.Count;
        await XmlAsync(context, new XElement(Name("ListPartsResult"),
            new XElement(Name("Bucket"), bucket), new XElement(Name("Key"), key), new XElement(Name("UploadId"), uploadId),
            new XElement(Name("PartNumberMarker"), marker),
            new XElement(Name("NextPartNumberMarker"), page.Count > 0 ? page[^1].Key : marker),
            new XElement(Name("MaxParts"), max), new XElement(Name("IsTruncated"), truncated ? "true" : "false"),
            page.Select(pair => new XElement(Name("Part"),
                new XElement(Name("PartNumber"), pair.Key), new XElement(Name("LastModified"), Timestamp(pair.Value.Modified)),
                new XElement(Name("ETag"), Quote(pair.Value.ETag)), new XElement(Name("Size"), pair.Value.Size))))).ConfigureAwait(false);
    }

    private static async Task HeadObjectAsync(HttpContext context, string key, ConcurrentDictionary<string, SinkObject> objects)
    {
        var response = context.Response;
        if (!objects.TryGetValue(key, out var stored))
        {
            response.StatusCode = 404;
            if (context.Request.Method == "GET")
            {
                await ErrorBodyAsync(context, "NoSuchKey", "The specified key does not exist.").ConfigureAwait(false);
            }

            return;
        }

        foreach (var (name, value) in stored.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers.ETag = Quote(stored.ETag);
        response.Headers.LastModified = stored.Modified.ToString("R", CultureInfo.InvariantCulture);
        response.ContentType ??= "binary/octet-stream";
        if (context.Request.Method == "HEAD")
        {
            response.ContentLength = stored.Size;
            return;
        }

        // GET: the sink kept no bytes; answer zeros of the right length (nothing in the benchmark reads them).
        response.ContentLength = stored.Size;
        var zeros = new byte[64 * 1024];
        for (long left = stored.Size; left > 0; left -= zeros.Length)
        {
            await response.Body.WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, left)), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task HeadObjectAsync(HttpContext context, string key) => HeadObjectAsync(context, key, _objects);

    /// <summary>Reads the body to its end, counting it as it arrives and hashing it when asked.</summary>
    private async Task<(long Received, string? Md5)> DrainAsync(HttpRequest request, IncrementalHash? md5)
    {
        using (md5)
        {
            var reader = request.BodyReader;
            long received = 0;
            while (true)
            {
                var result = await reader.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (md5 is not null)
                {
                    foreach (var segment in buffer)
                    {
                        md5.AppendData(segment.Span);
                    }

                    Interlocked.Add(ref _hashedBytes, buffer.Length);
                }

                received += buffer.Length;
                Interlocked.Add(ref _bodyBytes, buffer.Length);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            return (received, md5 is null ? null : Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
    }

    private static Dictionary<string, string> GetHeaders(HttpRequest request) =>
        request.Headers
            .Where(header => header.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase)
                || header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    private static XName Name(string local) => XName.Get(local, S3Namespace);

    private static string Quote(string etag) => $"\"{etag}\"";

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task XmlAsync(HttpContext context, XElement root)
    {
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting)).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        await ErrorBodyAsync(context, code, message).ConfigureAwait(false);
    }

    private static async Task ErrorBodyAsync(HttpContext context, string code, string message)
    {
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message><RequestId>sink</RequestId></Error>").ConfigureAwait(false);
    }

    private sealed record SinkUpload(string Bucket, string Key, DateTimeOffset Initiated, Dictionary<string, string> Headers)
    {
        public ConcurrentDictionary<int, SinkPart> Parts { get; } = new();
    }

    private sealed record SinkPart(string ETag, long Size, DateTimeOffset Modified);

    private sealed record SinkObject(long Size, string ETag, DateTimeOffset Modified, Dictionary<string, string> Headers);
}

/// <summary>What the sink has seen since it started.</summary>
internal sealed record SinkStats(long Requests, long BodyBytes, long CompletedBytes, long HashedBytes, int OpenUploads, int Objects);

[System.Text.Json.Serialization.JsonSerializable(typeof(SinkStats))]
internal sealed partial class SinkJson : System.Text.Json.Serialization.JsonSerializerContext;
