using System.Net;
using ObsBuildTasks.Testing.Faults;
using static ObsBuildTasks.Tests.Faults.ProxyTesting;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>
/// Answers the upstream gave, changed on the way back: the operation took effect upstream, the client sees something
/// else. The stand-in answers a part with <c>ETag: "etag"</c> and <c>received=N</c>, a GET with <c>object:TARGET</c>.
/// </summary>
public sealed class RewriteResponseTests
{
    private const string PartTarget = "/bucket/key?partNumber=1&uploadId=u1";

    [Fact]
    public async Task Remove_header_relays_the_answer_without_the_field()
    {
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.RemoveHeader("ETag")).ForMethod("PUT"));

        using var response = await PutPartAsync(rig);

        Assert.Null(response.Headers.ETag);
        Assert.Equal("received=1000", await response.Content.ReadAsStringAsync());
        Assert.True(Assert.Single(rig.Upstream.Requests).BodyComplete);
        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.IsType<RewriteResponseFault>(record.Fault);
        Assert.Equal(200, record.UpstreamStatus);
        Assert.Equal(200, record.RelayedStatus);
        Assert.Empty(rig.Proxy.Errors);
    }

    [Fact]
    public async Task Set_header_replaces_the_field()
    {
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.SetHeader("ETag", "\"not-hex\"")).ForMethod("PUT"));

        using var response = await PutPartAsync(rig);

        Assert.Equal(["\"not-hex\""], response.Headers.GetValues("ETag"));
        Assert.Single(rig.Upstream.Requests);
    }

    [Fact]
    public async Task Add_header_keeps_the_fields_and_adds_one()
    {
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.AddHeader("Location", "http://127.0.0.2:9000/bucket/key")).ForMethod("PUT"));

        using var response = await PutPartAsync(rig);

        Assert.Equal(new Uri("http://127.0.0.2:9000/bucket/key"), response.Headers.Location);
        Assert.Equal("\"etag\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Set_status_replaces_the_status_of_what_the_upstream_did()
    {
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.SetStatus(500)).ForMethod("PUT"));

        using var response = await PutPartAsync(rig);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("received=1000", await response.Content.ReadAsStringAsync());
        Assert.Single(rig.Upstream.Requests);
        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.Equal(200, record.UpstreamStatus);
        Assert.Equal(500, record.RelayedStatus);
    }

    [Fact]
    public async Task Replace_body_sends_the_new_body_framed_by_its_own_length()
    {
        const string Error = "<Error><Code>InternalError</Code></Error>";
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.ReplaceBody(ResponseBody.FromText(Error))).ForMethod("GET").First(1));

        using var response = await rig.Client.GetAsync(Target("/bucket/key?chunked"), HttpCompletionOption.ResponseHeadersRead);
        var replaced = await response.Content.ReadAsStringAsync();
        var next = await rig.Client.GetStringAsync(Target("/bucket/next"));

        Assert.Equal(Error.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Error, replaced);
        Assert.Equal("object:/bucket/next", next);
        Assert.Equal(["/bucket/key?chunked", "/bucket/next"], rig.Upstream.Requests.Select(r => r.Target));
        Assert.Equal(1, rig.Proxy.ConnectionsAccepted);
    }

    [Theory]
    [InlineData("/bucket/key")]
    [InlineData("/bucket/key?chunked")]
    public async Task Truncate_body_sends_a_complete_but_short_document_and_the_connection_goes_on(string target)
    {
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.TruncateBody(10)).ForMethod("GET").First(1));

        var truncated = await rig.Client.GetStringAsync(Target(target));
        var next = await rig.Client.GetStringAsync(Target(target));

        Assert.Equal("object:/bu", truncated);
        Assert.Equal("object:" + target, next);
        Assert.Equal(1, rig.Proxy.ConnectionsAccepted);
        Assert.Empty(rig.Proxy.Errors);
    }

    [Theory]
    [InlineData("/bucket/key", "Content-Length: 18\r\n", "object:/bu")]
    [InlineData("/bucket/key?chunked", "Transfer-Encoding: chunked\r\n", "A\r\nobject:/bu\r\n")]
    public async Task Cut_body_sends_part_of_the_promised_body_then_resets(string target, string framing, string bodySent)
    {
        await using var rig = ProxyRig.Start(FaultRule.RewriteResponse(ResponseEdit.CutBody(10)));
        using var client = await SendRawAsync(rig.Proxy, $"GET {target} HTTP/1.1\r\nHost: proxy\r\n\r\n");

        var (received, reset) = await ReadUntilEndAsync(client);

        Assert.True(reset, $"The connection ended cleanly after: {received}");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", received, StringComparison.Ordinal);
        Assert.Contains(framing, received, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + bodySent, received, StringComparison.Ordinal);
        Assert.Single(rig.Upstream.Requests);
    }

    private static Task<HttpResponseMessage> PutPartAsync(ProxyRig rig) =>
        rig.Client.PutAsync(Target(PartTarget), new ByteArrayContent(new byte[1000]));
}
