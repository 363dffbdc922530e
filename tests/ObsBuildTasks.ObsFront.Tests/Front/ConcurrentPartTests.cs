using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Front;

/// <summary>
/// Eight 16 MiB parts go through a front at the same time and the object is their concatenation; the front streams
/// them (its memory grows by far less than the 128 MiB in flight).
/// </summary>
public sealed class ConcurrentPartTests : IDisposable
{
    private const int PartCount = 8;
    private const long PartSize = 16 * 1024 * 1024;
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Eight_concurrent_16_MiB_parts_stream_through_intact()
    {
        var front = await LocalObsFront.GetAsync();
        var store = await LocalObjectStore.GetAsync();
        await using var process = await FrontProcess.StartAsync(front);
        var target = FrontRequest.ObjectTarget(front.Bucket, LocalObjectStore.UniqueKey("concurrent.bin"));
        var parts = Enumerable.Range(1, PartCount).Select(number => _files.Create($"part{number}.bin", PartSize, seed: number)).ToList();
        var uploadId = Element(await SendForXmlAsync(front, process, new FrontRequest(HttpMethod.Post, target + "?uploads")), "UploadId");
        var query = $"uploadId={Uri.EscapeDataString(uploadId)}";
        var baseline = process.ResidentBytes;

        var etags = await Task.WhenAll(parts.Select(async (path, index) =>
        {
            using var response = await new FrontRequest(HttpMethod.Put, $"{target}?partNumber={index + 1}&{query}")
            {
                Content = new StreamContent(File.OpenRead(path)),
            }.SendAsync(front, process.Endpoint);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Headers.ETag!.Tag;
        }));
        var growth = process.PeakResidentBytes - baseline;
        var completed = await SendForXmlAsync(front, process, new FrontRequest(HttpMethod.Post, $"{target}?{query}")
        {
            Content = new StringContent(new XElement("CompleteMultipartUpload", etags.Select((etag, index) =>
                new XElement("Part", new XElement("PartNumber", index + 1), new XElement("ETag", etag)))).ToString(), Encoding.UTF8, "application/xml"),
        });

        Assert.Equal(parts.Select(path => $"\"{TestFiles.Md5(path)}\""), etags);
        Assert.EndsWith($"-{PartCount}\"", Element(completed, "ETag"), StringComparison.Ordinal);
        Assert.Equal((ConcatenatedMd5(parts), PartCount * PartSize), await store.Reader.HashObjectAsync(front.Bucket, target[(front.Bucket.Length + 2)..]));
        Assert.True(growth < PartCount * PartSize / 2, $"the front's resident memory grew by {growth / (1 << 20)} MiB");
    }

    public void Dispose() => _files.Dispose();

    private static async Task<XElement> SendForXmlAsync(LocalObsFront front, FrontProcess process, FrontRequest request)
    {
        using var response = await request.SendAsync(front, process.Endpoint);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        return XElement.Parse(body);
    }

    private static string Element(XElement root, string name) => root.Elements().Single(element => element.Name.LocalName == name).Value;

    private static string ConcatenatedMd5(IEnumerable<string> paths)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var path in paths)
        {
            md5.AppendData(File.ReadAllBytes(path));
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }
}
