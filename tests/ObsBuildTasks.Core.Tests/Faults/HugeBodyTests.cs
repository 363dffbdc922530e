using System.Diagnostics;
using System.Net;
using System.Text;
using ObsBuildTasks.Testing.Faults;
using static ObsBuildTasks.Tests.Faults.ProxyTesting;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>Made-up bodies of any size, or without end, that the proxy generates while sending and never holds.</summary>
public sealed class HugeBodyTests
{
    private const string XmlErrorStart = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>";
    private static readonly TimeSpan HugeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Generated_streams_three_gigabytes_within_bounded_time_and_memory()
    {
        const long Length = 3_000_000_000;
        await using var rig = ProxyRig.Start(HugeLimit, FaultRule.Respond(500, ResponseBody.Generated(Length, XmlErrorStart), "application/xml"));
        using var process = Process.GetCurrentProcess();
        var peakBefore = process.PeakWorkingSet64;
        using var limit = new CancellationTokenSource(HugeLimit);

        using var request = new HttpRequestMessage(HttpMethod.Put, Target("/bucket/key?partNumber=1&uploadId=u1")) { Content = new ByteArrayContent(new byte[1000]) };
        using var response = await rig.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
        var (start, received) = await ReadAllAsync(response, limit.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(Length, response.Content.Headers.ContentLength);
        Assert.Equal(Length, received);
        Assert.StartsWith(XmlErrorStart + "xxxx", start, StringComparison.Ordinal);
        Assert.Equal(Length, Assert.Single(await rig.CompletedAsync(1)).ResponseBodyBytesSent);
        process.Refresh();
        // Holding the body anywhere in this process (proxy or client) would raise the peak by gigabytes.
        Assert.InRange(process.PeakWorkingSet64 - peakBefore, 0, 1L << 30);
        Assert.Empty(rig.Proxy.Errors);
    }

    [Fact]
    public async Task Generated_chunked_has_exactly_the_length()
    {
        const long Length = 10_000_000;
        await using var rig = ProxyRig.Start(FaultRule.Respond(200, ResponseBody.Generated(Length, "<ListPartsResult>")).WithFraming(ResponseFraming.Chunked));

        using var response = await rig.Client.GetAsync(Target("/bucket/key?uploadId=u1"), HttpCompletionOption.ResponseHeadersRead);
        var (start, received) = await ReadAllAsync(response, CancellationToken.None);

        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(Length, received);
        Assert.StartsWith("<ListPartsResult>xxxx", start, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endless_streams_until_the_client_goes_away()
    {
        const int Enough = 20_000_000;
        await using var rig = ProxyRig.Start(FaultRule.Respond(200, ResponseBody.Endless()));

        using (var response = await rig.Client.GetAsync(Target("/bucket/key"), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.True(response.Headers.TransferEncodingChunked);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            for (var read = 0; read < Enough; read += await body.ReadAsync(buffer))
            {
            }
        }

        // Settles only if the proxy stopped sending when the client closed the connection.
        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.True(record.ResponseBodyBytesSent >= Enough, $"{record.ResponseBodyBytesSent} bytes sent");
        Assert.Empty(rig.Proxy.Errors);
    }

    /// <summary>Reads the body through a 64 KiB buffer, keeping only its first 100 bytes and its length.</summary>
    private static async Task<(string Start, long Length)> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        var start = new MemoryStream();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            start.Write(buffer, 0, (int)Math.Clamp(100 - start.Length, 0, read));
            total += read;
        }

        return (Encoding.UTF8.GetString(start.ToArray()), total);
    }
}
