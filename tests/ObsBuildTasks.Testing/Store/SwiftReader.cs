using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ObsBuildTasks.Testing.Store;

/// <summary>
/// Reads objects through Swift's native API (tempauth token, container = bucket), so tests check what landed without
/// trusting the S3 layer or the client under test.
/// </summary>
public sealed class SwiftReader
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    private readonly Uri _endpoint;
    private readonly string _user;
    private readonly string _key;
    private (Uri StorageUrl, string Token)? _session;

    public SwiftReader(Uri endpoint, string user, string key)
    {
        _endpoint = endpoint;
        _user = user;
        _key = key;
    }

    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(_endpoint, "healthcheck")).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The MD5 (hex) and length of the stored object's bytes, or <see langword="null"/> when it does not exist.</summary>
    public async Task<(string Md5, long Length)?> HashObjectAsync(string bucket, string key)
    {
        using var response = await SendAsync(HttpMethod.Get, bucket, key).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 20];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexStringLower(md5.GetHashAndReset()), length);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string bucket, string key)
    {
        var (storageUrl, token) = _session ??= await AuthenticateAsync().ConfigureAwait(false);
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        using var request = new HttpRequestMessage(method, $"{storageUrl.ToString().TrimEnd('/')}/{Uri.EscapeDataString(bucket)}/{path}");
        request.Headers.Add("X-Auth-Token", token);
        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
    }

    private async Task<(Uri, string)> AuthenticateAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, "auth/v1.0"));
        request.Headers.Add("X-Auth-User", _user);
        request.Headers.Add("X-Auth-Key", _key);
        using var response = await Http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (new Uri(response.Headers.GetValues("X-Storage-Url").Single()), response.Headers.GetValues("X-Auth-Token").Single());
    }
}
