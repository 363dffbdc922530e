using System.Net;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// The path real users take: Huawei OBS with its own signature, reached with the defaults (no Signature, no Region).
/// The OBS front of the local store verifies the OBS signature, token and clock like OBS, so these cases prove the
/// default path end to end; what lands is read back from the store independently.
/// </summary>
public sealed class DefaultPathTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private readonly TestFiles _files = new();
    private readonly RecordingObserver _events = new();
    private readonly List<ObsClient> _clients = [];
    private LocalObsFront _front = null!;
    private LocalObjectStore _store = null!;

    public async Task InitializeAsync()
    {
        _front = await LocalObsFront.GetAsync();
        _store = await LocalObjectStore.GetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _clients.ForEach(client => client.Dispose());
        _files.Dispose();
    }

    [Fact]
    public async Task Multipart_upload_with_metadata_is_signed_OBS_and_stored_exactly()
    {
        var request = Request("app.zip", 3 * PartSize + 11);
        request.Metadata["commit"] = "4f2a9c1";
        request.TaskNum = 3;

        var result = await Client().UploadFileAsync(request);

        await AssertStoredAsync(request);
        Assert.Equal(4, result.PartCount);
        Assert.Equal(SignatureType.Obs, Assert.Single(_events.Of<SignatureChosenEvent>()).Signature);
        Assert.Equal("4f2a9c1", (await Client().HeadObjectAsync(_front.Bucket, request.ObjectKey))!.Metadata["commit"]);
    }

    [Theory]
    [InlineData("unicode é 中文 😀/naïve.bin", 2 * PartSize)]
    [InlineData("dots/../a/./b//c.bin", 1000)]
    [InlineData("empty.bin", 0)]
    public async Task Keys_and_sizes_round_trip(string name, long size)
    {
        var request = Request(name, size);

        var result = await Client().UploadFileAsync(request);

        Assert.Equal(request.ObjectKey, result.ObjectKey);
        await AssertStoredAsync(request);
    }

    [Fact]
    public async Task SkipUnchanged_sends_nothing_for_the_same_bytes()
    {
        var request = Request("same.bin", 2 * PartSize + 1);
        await Client().UploadFileAsync(request);
        request.SkipUnchanged = true;

        var result = await Client().UploadFileAsync(request);

        Assert.True(result.Skipped);
        Assert.Equal(0, result.BytesSent);
    }

    [Fact]
    public async Task Wrong_secret_fails_at_once_as_SignatureDoesNotMatch()
    {
        var error = await Assert.ThrowsAsync<ObsException>(() => Client(options => options.SecretAccessKey = "not-the-secret").UploadFileAsync(Request("secret.bin", 1000)));

        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
        Assert.Empty(_events.Of<RequestRetriedEvent>());
    }

    [Fact]
    public async Task Temporary_credentials_with_their_token_upload()
    {
        var request = Request("token.bin", 2 * PartSize);

        await Client(options =>
        {
            options.AccessKeyId = _front.TemporaryAccessKeyId;
            options.SecretAccessKey = _front.TemporarySecretAccessKey;
            options.SecurityToken = _front.SecurityToken;
        }).UploadFileAsync(request);

        await AssertStoredAsync(request);
    }

    [Fact]
    public async Task Resume_after_a_failed_run_keeps_the_parts_on_the_server()
    {
        var request = Request("resumed.bin", 6 * PartSize);
        request.EnableCheckpoint = true;
        request.CheckpointFile = Path.Combine(_files.Root, "checkpoint.json");
        await using var proxy = new FaultInjectingProxy(_front.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "4"));
        await Assert.ThrowsAsync<ObsException>(() => Client(options => options.Endpoint = proxy.Endpoint.ToString()).UploadFileAsync(request));
        proxy.ClearRules();

        var result = await Client(options => options.Endpoint = proxy.Endpoint.ToString()).UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.Equal(3, result.PartsReused);
        await AssertStoredAsync(request);
    }

    private ObsClient Client(Action<ObsClientOptions>? configure = null)
    {
        var options = new ObsClientOptions
        {
            Endpoint = _front.Endpoint.ToString(),
            AccessKeyId = _front.AccessKeyId,
            SecretAccessKey = _front.SecretAccessKey,
            Observer = _events,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        var client = new ObsClient(options);
        _clients.Add(client);
        return client;
    }

    private UploadFileRequest Request(string name, long size) =>
        new(_front.Bucket, LocalObjectStore.UniqueKey(name), _files.Create(Path.GetFileName(name), size, seed: (int)(size % 1000) + 1))
        {
            PartSize = PartSize,
        };

    private async Task AssertStoredAsync(UploadFileRequest request) =>
        Assert.Equal((TestFiles.Md5(request.UploadFile), new FileInfo(request.UploadFile).Length),
            await _store.Reader.HashObjectAsync(_front.Bucket, request.ObjectKey));
}
