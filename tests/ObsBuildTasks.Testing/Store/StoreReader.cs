using System.Net;
using System.Security.Cryptography;
using ObsBuildTasks.Wire;
using ObsBuildTasks.Wire.Signing;

namespace ObsBuildTasks.Testing.Store;

/// <summary>
/// Reads objects back with a plain signed GET, a request the uploader never makes, so tests check the bytes that
/// landed rather than what the client under test reports.
/// </summary>
public sealed class StoreReader
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    private readonly ObsEndpoint _endpoint;
    private readonly Uri _baseUri;
    private readonly SigningCredentials _credentials;
    private readonly RequestSigner _signer;

    public StoreReader(Uri endpoint, string accessKeyId, string secretAccessKey, string region)
    {
        _baseUri = endpoint;
        _endpoint = ObsEndpoint.Parse(endpoint.ToString(), pathStyle: true);
        _credentials = new SigningCredentials(accessKeyId, secretAccessKey, null);
        _signer = RequestSigner.Create(SignatureType.V4, region);
    }

    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(_baseUri, "healthcheck")).ConfigureAwait(false);
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
        var request = _endpoint.CreateRequest(HttpMethod.Get, bucket, key);
        _signer.Sign(request, _credentials, DateTimeOffset.UtcNow);
        using var message = new HttpRequestMessage(HttpMethod.Get, _endpoint.BuildUri(request));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
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
}
