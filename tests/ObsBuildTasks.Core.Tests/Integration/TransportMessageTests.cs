using System.Net;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>A request that never reaches the service says what to check: the proxy it went through, or the scheme of an
/// endpoint whose server does not speak TLS.</summary>
public sealed class TransportMessageTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task A_failure_through_a_proxy_names_the_proxy()
    {
        var error = await UploadAsync("http://127.0.0.1:9", new WebProxy("http://127.0.0.1:1"));

        Assert.Equal(ObsErrorKind.Transport, error.Kind);
        Assert.Contains("through the proxy http://127.0.0.1:1,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_endpoint_whose_server_speaks_plain_http_is_told_to_write_http()
    {
        var store = await LocalObjectStore.GetAsync();

        var error = await UploadAsync(new UriBuilder(store.Endpoint) { Scheme = Uri.UriSchemeHttps }.Uri.ToString(), proxy: null);

        Assert.Equal(ObsErrorKind.Transport, error.Kind);
        Assert.Contains("write http:// in Endpoint", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private async Task<ObsException> UploadAsync(string endpoint, IWebProxy? proxy)
    {
        using var client = new ObsClient(new ObsClientOptions
        {
            Endpoint = endpoint, AccessKeyId = "ak", SecretAccessKey = "sk", Signature = SignatureType.V4, MaxRetries = 0, Proxy = proxy,
        });
        return await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(new UploadFileRequest("bucket", "app.zip", _files.Create("app.zip", 10))));
    }
}
