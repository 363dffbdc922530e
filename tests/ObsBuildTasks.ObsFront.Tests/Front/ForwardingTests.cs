using System.Net;
using System.Security.Cryptography;
using System.Text;
using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Front;

/// <summary>Accepted requests reach the store under exactly the name the client sent, with their headers translated.</summary>
public sealed class ForwardingTests
{
    private static readonly string[] AwkwardNames =
    [
        "a/../b", "a//b", "./x", "dir/./y/..", "literal%2Fslash", "sp ace+plus", "100%", "semi;colon", "hash#tag",
        "query?and&amp=eq", "unicode é 中文 😀",
    ];

    [Fact]
    public async Task Awkward_keys_land_under_exactly_their_names()
    {
        var front = await LocalObsFront.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("");
        var expected = new Dictionary<string, string>();
        foreach (var name in AwkwardNames)
        {
            var body = Encoding.UTF8.GetBytes(name);
            using var response = await new FrontRequest(HttpMethod.Put, FrontRequest.ObjectTarget(front.Bucket, prefix + name))
            {
                Content = new ByteArrayContent(body),
            }.SendAsync(front);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            expected[prefix + name] = $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"";
        }

        var listing = await AwsCli.S3ApiAsync("list-objects-v2", "--bucket", front.Bucket, "--prefix", prefix);

        var stored = listing.GetProperty("Contents").EnumerateArray()
            .ToDictionary(entry => entry.GetProperty("Key").GetString()!, entry => entry.GetProperty("ETag").GetString()!);
        Assert.Equal(expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), stored.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Obs_request_headers_reach_the_store_as_amz_headers()
    {
        var front = await LocalObsFront.GetAsync();
        var key = LocalObjectStore.UniqueKey("headers.txt");

        using var response = await PutWithMetadataAsync(front, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (metadata, contentType) = await AwsCli.HeadObjectAsync(front.Bucket, key);
        Assert.Equal(new Dictionary<string, string> { ["build"] = "42", ["commit"] = "4f2a9c1" }, metadata);
        Assert.Equal("text/x-obs-front", contentType);
    }

    [Fact]
    public async Task Content_MD5_reaches_the_store_which_checks_it()
    {
        var front = await LocalObsFront.GetAsync();
        var request = new FrontRequest(HttpMethod.Put, FrontRequest.ObjectTarget(front.Bucket, LocalObjectStore.UniqueKey("digest.bin")))
        {
            Content = new ByteArrayContent([1, 2, 3]),
        };
        request.Headers["Content-MD5"] = Convert.ToBase64String(MD5.HashData([3, 2, 1]));

        using var response = await request.SendAsync(front);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>BadDigest</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_amz_headers_are_not_forwarded()
    {
        var front = await LocalObsFront.GetAsync();
        var key = LocalObjectStore.UniqueKey("unsigned-amz.txt");
        var request = new FrontRequest(HttpMethod.Put, FrontRequest.ObjectTarget(front.Bucket, key)) { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers["x-amz-meta-smuggled"] = "1";

        using var response = await request.SendAsync(front);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await AwsCli.HeadObjectAsync(front.Bucket, key)).Metadata);
    }

    [Fact]
    public async Task Store_amz_response_headers_come_back_as_obs_headers()
    {
        var front = await LocalObsFront.GetAsync();
        var key = LocalObjectStore.UniqueKey("answer.txt");
        (await PutWithMetadataAsync(front, key)).Dispose();

        using var response = await new FrontRequest(HttpMethod.Head, FrontRequest.ObjectTarget(front.Bucket, key)).SendAsync(front);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("42", Assert.Single(response.Headers.GetValues("x-obs-meta-build")));
        Assert.Single(response.Headers.GetValues("x-obs-request-id"));
        Assert.Single(response.Headers.GetValues("x-obs-id-2"));
        Assert.DoesNotContain(response.Headers, header => header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(5, response.Content.Headers.ContentLength);
    }

    private static Task<HttpResponseMessage> PutWithMetadataAsync(LocalObsFront front, string key)
    {
        var request = new FrontRequest(HttpMethod.Put, FrontRequest.ObjectTarget(front.Bucket, key)) { Content = new ByteArrayContent("hello"u8.ToArray()) };
        request.Headers["Content-Type"] = "text/x-obs-front";
        request.Headers["x-obs-meta-build"] = "42";
        request.Headers["X-Obs-Meta-Commit"] = "4f2a9c1";
        request.Headers["x-obs-acl"] = "private";
        request.Headers["x-obs-storage-class"] = "STANDARD";
        return request.SendAsync(front);
    }
}
