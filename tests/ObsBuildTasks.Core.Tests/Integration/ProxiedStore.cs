using System.Security.Cryptography;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// The local store (or its OBS front) behind a <see cref="FaultInjectingProxy"/>, clients that talk through it, and the
/// checks the fault tests share: the stored bytes against the file, and which operation each recorded request was.
/// </summary>
internal sealed class ProxiedStore : IAsyncDisposable
{
    private readonly List<ObsClient> _clients = [];
    private readonly SignatureType _signature;

    private ProxiedStore(LocalObjectStore store, Uri upstream, string accessKeyId, string secretAccessKey, SignatureType signature)
    {
        Store = store;
        Proxy = new FaultInjectingProxy(upstream);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        _signature = signature;
    }

    public LocalObjectStore Store { get; }

    public FaultInjectingProxy Proxy { get; }

    public string Bucket => Store.Bucket;

    /// <summary>The credentials the proxied service accepts.</summary>
    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>The S3 store behind the proxy; clients sign with V4 unless told otherwise.</summary>
    public static async Task<ProxiedStore> StartAsync()
    {
        var store = await LocalObjectStore.GetAsync();
        return new(store, store.Endpoint, store.AccessKeyId, store.SecretAccessKey, SignatureType.V4);
    }

    /// <summary>The store's OBS front behind the proxy; clients negotiate (the default) unless told otherwise.</summary>
    public static async Task<ProxiedStore> StartThroughObsFrontAsync()
    {
        var front = await LocalObsFront.GetAsync();
        return new(await LocalObjectStore.GetAsync(), front.Endpoint, front.AccessKeyId, front.SecretAccessKey, SignatureType.Auto);
    }

    /// <summary>A client that sends every request through the proxy (disposed with this object).</summary>
    public ObsClient Client(Action<ObsClientOptions>? configure = null, SignatureType? signature = null)
    {
        var options = Store.ClientOptions(signature ?? _signature, Proxy.Endpoint);
        options.AccessKeyId = AccessKeyId;
        options.SecretAccessKey = SecretAccessKey;
        configure?.Invoke(options);
        var client = new ObsClient(options);
        _clients.Add(client);
        return client;
    }

    /// <summary>A client that talks to the store directly: for looking at the result without the proxy's faults.</summary>
    public ObsClient DirectClient()
    {
        var client = new ObsClient(Store.ClientOptions());
        _clients.Add(client);
        return client;
    }

    /// <summary>The proxy's record once it has finished with every request it received.</summary>
    public async Task<IReadOnlyList<ProxiedRequest>> SettledRequestsAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Proxy.WaitForCompletedRequestsAsync(Proxy.Requests.Count, limit.Token);
    }

    /// <summary>Runs the upload once through <paramref name="client"/> with <paramref name="failure"/>, so that it fails
    /// and its checkpoint keeps the upload; returns the upload's id.</summary>
    public async Task<string> LeaveUploadAsync(ObsClient client, UploadFileRequest request, FaultRule failure)
    {
        Proxy.AddRule(failure);
        await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));
        Proxy.ClearRules();
        var uploadId = Assert.Single(await DirectClient().ListMultipartUploadsAsync(Bucket, request.ObjectKey)).UploadId;
        Assert.Contains(uploadId, await File.ReadAllTextAsync(StoredCheckpoint(request)), StringComparison.Ordinal);
        return uploadId;
    }

    /// <summary>Where the request's checkpoint is on disk: its name, or the shortened one a name over the file system's
    /// limit is stored under.</summary>
    public static string StoredCheckpoint(UploadFileRequest request) => SidecarName.Fit(Path.GetFullPath(request.CheckpointFile!));

    /// <summary>Reads the object back with a plain GET and compares its bytes with the file.</summary>
    public async Task AssertStoredEqualsFileAsync(string key, string path) =>
        Assert.Equal((TestFiles.Md5(path), new FileInfo(path).Length), await Store.Reader.HashObjectAsync(Bucket, key));

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(client => client.Dispose());
        await Proxy.DisposeAsync();
    }

    /// <summary>The ETag a store gives the file uploaded in parts of <paramref name="partSize"/>, computed here
    /// independently of the engine: MD5 of the concatenated part MD5s, then <c>-N</c>.</summary>
    public static string MultipartETag(string path, long partSize)
    {
        var bytes = File.ReadAllBytes(path);
        var partMd5s = bytes.Chunk((int)partSize).Select(part => MD5.HashData(part)).ToList();
        return $"{Convert.ToHexStringLower(MD5.HashData(partMd5s.SelectMany(md5 => md5).ToArray()))}-{partMd5s.Count}";
    }
}

/// <summary>Which service operation a request the proxy recorded was.</summary>
internal static class ProxiedRequestKinds
{
    public static bool IsUploadPart(this ProxiedRequest request) => request.Is("PUT", "partNumber");

    public static bool IsInitiate(this ProxiedRequest request) => request.Is("POST", "uploads");

    public static bool IsComplete(this ProxiedRequest request) => request.Is("POST", "uploadId");

    public static bool IsListParts(this ProxiedRequest request) => request.Is("GET", "uploadId");

    public static bool IsListUploads(this ProxiedRequest request) => request.Is("GET", "uploads");

    /// <summary>A listing of the bucket's objects (ListObjects; ListMultipartUploads has a prefix too).</summary>
    public static bool IsListObjects(this ProxiedRequest request) => request.Is("GET", "prefix") && !request.HasQueryParameter("uploads");

    /// <summary>A HEAD of an object (the protocol probe is a HEAD with <c>apiversion</c>).</summary>
    public static bool IsHeadObject(this ProxiedRequest request) => request.Method == "HEAD" && !request.HasQueryParameter("apiversion");

    /// <summary>A single-request upload: a PUT of the object itself.</summary>
    public static bool IsPutObject(this ProxiedRequest request) => request.Method == "PUT" && !request.HasQueryParameter("partNumber");

    /// <summary>Whether the request sent any object bytes (a part or a whole object).</summary>
    public static bool SendsObjectBytes(this ProxiedRequest request) => request.IsUploadPart() || request.IsPutObject();

    /// <summary>Whether the proxy answered the request with this injected error code.</summary>
    public static bool GotInjectedError(this ProxiedRequest request, string errorCode) =>
        request.Fault is RespondFault { Body: S3ErrorBody error } && error.Code == errorCode;

    public static bool HasQueryParameter(this ProxiedRequest request, string name) =>
        FaultRule.DropResponse().WithQueryParameter(name).Matches(request.Method, request.PathAndQuery);

    private static bool Is(this ProxiedRequest request, string method, string queryParameter) =>
        request.Method == method && request.HasQueryParameter(queryParameter);
}
