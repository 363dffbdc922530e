using ObsBuildTasks.FrontEnd;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.FrontEnd;

/// <summary>The proxy variables a call sees route its requests, read at each call (not once per process).</summary>
public sealed class ProxyVariableTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task HTTP_PROXY_routes_the_requests_through_the_proxy()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);

        var result = await UploadAsync(store, new() { ["HTTP_PROXY"] = proxy.Endpoint.ToString() });

        Assert.True(result.Succeeded);
        Assert.Contains(proxy.Requests, request => request.Method == "PUT");
    }

    [Fact]
    public async Task NO_PROXY_reaches_the_listed_host_directly()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);

        var result = await UploadAsync(store, new() { ["HTTP_PROXY"] = proxy.Endpoint.ToString(), ["NO_PROXY"] = "localhost,127.0.0.1" });

        Assert.True(result.Succeeded);
        Assert.Empty(proxy.Requests);
    }

    public void Dispose() => _files.Dispose();

    private async Task<UploadJobResult> UploadAsync(LocalObjectStore store, Dictionary<string, string> variables)
    {
        variables["OBS_ACCESS_KEY_ID"] = store.AccessKeyId;
        variables["OBS_SECRET_ACCESS_KEY"] = store.SecretAccessKey;
        _files.Create("app.zip", 1000);
        var settings = new UploadSettings
        {
            Bucket = store.Bucket, Endpoint = store.Endpoint.ToString(), ObjectKeyPrefix = LocalObjectStore.UniqueKey("proxied") + "/", EnableCheckpoint = false,
        };
        var job = UploadJob.Prepare(settings, [new UploadFileSpec("app.zip")], new UploadEnvironment(variables.GetValueOrDefault), _files.Root, out var problems);
        Assert.Empty(problems);
        var result = await job!.RunAsync(new SilentReporter(), CancellationToken.None);
        Assert.Equal((TestFiles.Md5(Path.Combine(_files.Root, "app.zip")), 1000L),
            await store.Reader.HashObjectAsync(store.Bucket, settings.ObjectKeyPrefix + "app.zip"));
        return result;
    }

    private sealed class SilentReporter : IUploadReporter
    {
        public void Line(LineImportance importance, string text)
        {
        }

        public void Warning(Diagnostic warning)
        {
        }

        public void Error(Diagnostic error) => Assert.Fail(error.Message);
    }
}
