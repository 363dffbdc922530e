using System.Globalization;
using System.Xml.Linq;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Wire;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// Keys with any characters land under exactly that name, and the headers fixed when an object is created (metadata,
/// content type, expires, ACL, storage class) are sent then and kept by the store.
/// </summary>
public sealed class KeyAndHeaderRoundTripTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const long SingleSize = 1000;
    private const long MultipartSize = 3 * PartSize + 17;
    private static readonly string[] KeyNames =
    [
        "unicode é 中文 😀/naïve ünïcødé.bin",
        "odd a+b 100%25 ;semi #hash ~tilde =eq &amp ?q.bin",
        "dots/../a/./b//c/../.",
    ];

    private readonly TestFiles _files = new();
    private ProxiedStore _store = null!;

    public static TheoryData<SignatureType, string, long> KeysAndSizes()
    {
        var data = new TheoryData<SignatureType, string, long>();
        foreach (var signature in new[] { SignatureType.V4, SignatureType.V2 })
        {
            foreach (var name in KeyNames)
            {
                data.Add(signature, name, SingleSize);
                data.Add(signature, name, MultipartSize);
            }
        }

        return data;
    }

    public static TheoryData<SignatureType, string> Keys()
    {
        var data = new TheoryData<SignatureType, string>();
        foreach (var signature in new[] { SignatureType.V4, SignatureType.V2 })
        {
            foreach (var name in KeyNames)
            {
                data.Add(signature, name);
            }
        }

        return data;
    }

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Theory]
    [MemberData(nameof(KeysAndSizes))]
    public async Task Key_round_trips_exactly(SignatureType signature, string name, long size)
    {
        var key = LocalObjectStore.UniqueKey(name);
        var path = _files.Create("payload.bin", size, seed: (int)size);
        var client = _store.Client(signature: signature);

        var result = await client.UploadFileAsync(new UploadFileRequest(_store.Bucket, key, path) { PartSize = PartSize, TaskNum = 2 });

        Assert.Equal(key, result.ObjectKey);
        await _store.AssertStoredEqualsFileAsync(key, path);
        var head = await client.HeadObjectAsync(_store.Bucket, key);
        Assert.Equal(result.ETag, head!.ETag);
        Assert.Equal(size, head.ContentLength);
        // Listed by the store under exactly this name, and sent with every character but the unreserved ones encoded.
        Assert.Equal([key], await ListKeysAsync(string.Join('/', key.Split('/').Take(2)) + "/"));
        var created = Assert.Single(await _store.SettledRequestsAsync(), r => r.IsInitiate() || r.IsPutObject());
        Assert.Equal($"/{_store.Bucket}/{EscapeKey(key)}", created.PathAndQuery.Split('?')[0]);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Unfinished_upload_of_an_odd_key_is_listed_resumed_and_completed(SignatureType signature, string name)
    {
        var key = LocalObjectStore.UniqueKey(name);
        var request = new UploadFileRequest(_store.Bucket, key, _files.Create("payload.bin", MultipartSize, seed: 3))
        {
            PartSize = PartSize,
            TaskNum = 1,
            EnableCheckpoint = true,
            CheckpointFile = Path.Combine(_files.Root, "checkpoint.json"),
        };
        var client = _store.Client(signature: signature);
        _store.Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "3"));
        await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));

        var unfinished = Assert.Single(await client.ListMultipartUploadsAsync(_store.Bucket, key));
        Assert.Equal(key, unfinished.ObjectKey);
        _store.Proxy.ClearRules();

        var result = await client.UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.Equal(2, result.PartsReused);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        await _store.AssertStoredEqualsFileAsync(key, request.UploadFile);
        Assert.Empty(await client.ListMultipartUploadsAsync(_store.Bucket, key));
    }

    [Theory]
    [InlineData(SignatureType.V4, SingleSize)]
    [InlineData(SignatureType.V4, MultipartSize)]
    [InlineData(SignatureType.V2, SingleSize)]
    [InlineData(SignatureType.V2, MultipartSize)]
    public async Task Metadata_content_type_and_expires_round_trip(SignatureType signature, long size)
    {
        var expires = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var request = NewRequest("artifact.zip", size);
        request.Metadata["build"] = "42";
        request.Metadata["Commit-Sha"] = "0123abcd";
        request.Headers.ContentType = "text/x-custom; charset=utf-8";
        request.Headers.Expires = expires;

        await _store.Client(signature: signature).UploadFileAsync(request);

        var head = (await _store.DirectClient().HeadObjectAsync(_store.Bucket, request.ObjectKey))!;
        Assert.Equal("42", head.Metadata["build"]);
        Assert.Equal("0123abcd", head.Metadata["commit-sha"]);
        Assert.Equal("text/x-custom; charset=utf-8", head.ContentType);
        Assert.Equal(expires, DateTimeOffset.ParseExact(head.Headers["expires"], "r", CultureInfo.InvariantCulture));
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Theory]
    [InlineData("artifact.zip", SingleSize, "application/zip")]
    [InlineData("artifact.zip", MultipartSize, "application/zip")]
    [InlineData("notes.txt", MultipartSize, "text/plain")]
    [InlineData("artifact.unknown-extension", SingleSize, "application/octet-stream")]
    public async Task Content_type_is_guessed_from_the_file_extension(string fileName, long size, string expected)
    {
        var request = NewRequest(fileName, size);

        await _store.Client().UploadFileAsync(request);

        Assert.Equal(expected, (await _store.DirectClient().HeadObjectAsync(_store.Bucket, request.ObjectKey))!.ContentType);
    }

    [Theory]
    [InlineData(SingleSize)]
    [InlineData(MultipartSize)]
    public async Task Acl_and_storage_class_are_sent_when_the_object_is_created(long size)
    {
        var request = NewRequest("artifact.bin", size);
        request.Headers.Acl = "public-read";
        request.Headers.StorageClass = "STANDARD";

        await _store.Client().UploadFileAsync(request);

        var requests = await _store.SettledRequestsAsync();
        var created = Assert.Single(requests, r => r.IsInitiate() || r.IsPutObject());
        Assert.Equal("public-read", created.Header("x-amz-acl"));
        Assert.Equal("STANDARD", created.Header("x-amz-storage-class"));
        Assert.Equal(200, created.RelayedStatus);
        // Object headers belong to the object, not to its parts.
        Assert.All(requests.Where(r => r.IsUploadPart()), part => Assert.Null(part.Header("x-amz-acl")));
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    private UploadFileRequest NewRequest(string fileName, long size) =>
        new(_store.Bucket, LocalObjectStore.UniqueKey(fileName), _files.Create(fileName, size, seed: (int)size)) { PartSize = PartSize, TaskNum = 2 };

    /// <summary>The key percent-encoded by .NET's own RFC 3986 encoder, segment by segment.</summary>
    private static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The keys the store lists under <paramref name="prefix"/> (ListObjectsV2): the names it really stored,
    /// whatever the uploader's encoding of them.</summary>
    private async Task<List<string>> ListKeysAsync(string prefix)
    {
        var store = _store.Store;
        var endpoint = ObsEndpoint.Parse(store.Endpoint.ToString(), pathStyle: true);
        var request = endpoint.CreateRequest(HttpMethod.Get, store.Bucket, null);
        request.Query["list-type"] = "2";
        request.Query["prefix"] = prefix;
        RequestSigner.Create(SignatureType.V4, LocalObjectStore.Region)
            .Sign(request, new SigningCredentials(store.AccessKeyId, store.SecretAccessKey, null), DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Get, endpoint.BuildUri(request));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(message);
        response.EnsureSuccessStatusCode();
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.Descendants().Where(element => element.Name.LocalName == "Key").Select(element => element.Value)];
    }
}
