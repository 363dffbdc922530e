using System.Net;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>With the default <see cref="SignatureType.Auto"/>, one unauthenticated protocol probe per bucket decides
/// how requests are signed, as Huawei's SDKs do; a configured signature skips it, and one the service does not speak
/// fails with a message that names the one to use.</summary>
public sealed class NegotiationTests : IAsyncLifetime, IDisposable
{
    private readonly TestFiles _files = new();
    private readonly RecordingObserver _events = new();
    private LocalObjectStore _store = null!;
    private LocalObsFront _front = null!;

    public async Task InitializeAsync()
    {
        _store = await LocalObjectStore.GetAsync();
        _front = await LocalObsFront.GetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task The_obs_front_answers_the_probe_with_x_obs_api_and_gets_the_OBS_signature()
    {
        using var client = new ObsClient(FrontOptions());

        await client.UploadFileAsync(Request(_front.Bucket, 1000));

        var chosen = Assert.Single(_events.Of<SignatureChosenEvent>());
        Assert.Equal((SignatureType.Obs, null), (chosen.Signature, chosen.Region));
        Assert.Contains("x-obs-api: 3.0", chosen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_S3_store_gets_V4_in_the_default_region()
    {
        using var client = new ObsClient(StoreOptions(_store.Endpoint));

        await client.UploadFileAsync(Request(_store.Bucket, 1000));

        var chosen = Assert.Single(_events.Of<SignatureChosenEvent>());
        Assert.Equal((SignatureType.V4, "us-east-1"), (chosen.Signature, chosen.Region));
        Assert.Contains("no x-obs-api", chosen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_probe_serves_every_file_of_a_bucket()
    {
        await using var proxy = new FaultInjectingProxy(_store.Endpoint);
        using var client = new ObsClient(StoreOptions(proxy.Endpoint));
        var requests = Enumerable.Range(0, 3).Select(index => Request(_store.Bucket, 1000 + index)).ToList();

        var outcomes = await client.UploadFilesAsync(requests, 3);

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded));
        Assert.Single(proxy.Requests, r => r.PathAndQuery.EndsWith("?apiversion", StringComparison.Ordinal));
        Assert.Equal(3, proxy.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task A_retried_probe_is_told_like_any_retried_request()
    {
        await using var proxy = new FaultInjectingProxy(_store.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("HEAD").WithQueryParameter("apiversion").First(1));
        using var client = new ObsClient(StoreOptions(proxy.Endpoint));

        await client.UploadFileAsync(Request(_store.Bucket, 1000));

        var retried = Assert.Single(_events.Of<RequestRetriedEvent>());
        Assert.Equal(("ProtocolProbe", 2), (retried.Operation, retried.Attempt));
    }

    [Fact]
    public async Task A_region_named_by_the_probe_is_used_and_a_region_the_store_names_instead_replaces_it()
    {
        await using var proxy = new FaultInjectingProxy(_store.Endpoint);
        proxy.AddRule(FaultRule.RewriteResponse(ResponseEdit.AddHeader("x-amz-bucket-region", "eu-west-1")).ForMethod("HEAD").WithQueryParameter("apiversion"));
        using var client = new ObsClient(StoreOptions(proxy.Endpoint));
        var request = Request(_store.Bucket, 1000);

        await client.UploadFileAsync(request);

        Assert.Equal(["eu-west-1", "us-east-1"], _events.Of<SignatureChosenEvent>().Select(chosen => chosen.Region));
        Assert.Contains("named by the service", _events.Of<SignatureChosenEvent>()[0].Reason, StringComparison.Ordinal);
        Assert.Equal((TestFiles.Md5(request.UploadFile), 1000L), await _store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task OBS_signature_configured_for_an_S3_store_fails_naming_the_signature_to_use()
    {
        var options = StoreOptions(_store.Endpoint);
        options.Signature = SignatureType.Obs;
        using var client = new ObsClient(options);

        var error = await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(Request(_store.Bucket, 1000)));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("does not speak the OBS protocol", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Signature to V4 or Auto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V4_configured_for_the_obs_front_fails_naming_the_signature_to_use()
    {
        var options = FrontOptions();
        options.Signature = SignatureType.V4;
        using var client = new ObsClient(options);

        var error = await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(Request(_front.Bucket, 1000)));

        Assert.Contains("speaks the OBS protocol", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Signature to Obs or Auto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_signature_skips_the_probe()
    {
        await using var proxy = new FaultInjectingProxy(_store.Endpoint);
        var options = StoreOptions(proxy.Endpoint);
        options.Signature = SignatureType.V4;
        using var client = new ObsClient(options);

        await client.UploadFileAsync(Request(_store.Bucket, 1000));

        Assert.DoesNotContain(proxy.Requests, r => r.PathAndQuery.Contains("apiversion", StringComparison.Ordinal));
        Assert.Equal("configured", Assert.Single(_events.Of<SignatureChosenEvent>()).Reason);
    }

    private ObsClientOptions FrontOptions() => new()
    {
        Endpoint = _front.Endpoint.ToString(),
        AccessKeyId = _front.AccessKeyId,
        SecretAccessKey = _front.SecretAccessKey,
        Observer = _events,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    private ObsClientOptions StoreOptions(Uri endpoint) => new()
    {
        Endpoint = endpoint.ToString(),
        AccessKeyId = _store.AccessKeyId,
        SecretAccessKey = _store.SecretAccessKey,
        Observer = _events,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    private UploadFileRequest Request(string bucket, long size) =>
        new(bucket, LocalObjectStore.UniqueKey($"negotiated-{size}.bin"), _files.Create($"negotiated-{size}.bin", size, seed: (int)size));
}
