using System.Net;
using System.Text;
using ObsBuildTasks.Testing.Faults;
using static ObsBuildTasks.Tests.Faults.ProxyTesting;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>Answers the proxy makes up itself: any status, headers and body; the upstream never sees the request.</summary>
public sealed class LocalAnswerTests
{
    [Fact]
    public async Task Respond_answers_with_its_status_headers_and_body_without_forwarding()
    {
        await using var rig = ProxyRig.Start(FaultRule.Respond(200, ResponseBody.FromText("made up"), "text/plain").WithResponseHeader("ETag", "\"local\"").ForMethod("PUT"));

        using var response = await rig.Client.PutAsync(Target("/bucket/key?partNumber=1&uploadId=u1"), new ByteArrayContent(new byte[10_000]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("made up", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\"local\"", response.Headers.ETag?.Tag);
        Assert.Equal(["proxy-1"], response.Headers.GetValues("x-amz-request-id"));
        Assert.True(response.Headers.ConnectionClose);
        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.IsType<RespondFault>(record.Fault);
        Assert.Equal(200, record.RelayedStatus);
        Assert.Null(record.UpstreamStatus);
        Assert.Equal(10_000, record.BodyBytesReceived);
        Assert.Equal(0, record.BodyBytesForwarded);
        Assert.Equal("made up".Length, record.ResponseBodyBytesSent);
        Assert.Empty(rig.Upstream.Requests);
        Assert.Empty(rig.Proxy.Errors);
    }

    [Fact]
    public async Task Respond_keeping_alive_leaves_the_connection_open_for_the_next_request()
    {
        await using var rig = ProxyRig.Start(FaultRule.Respond(200, ResponseBody.FromText("made up")).KeepingAlive().First(1));

        var first = await rig.Client.GetStringAsync(Target("/bucket/first"));
        var second = await rig.Client.GetStringAsync(Target("/bucket/second"));

        Assert.Equal("made up", first);
        Assert.Equal("object:/bucket/second", second);
        Assert.Equal(1, rig.Proxy.ConnectionsAccepted);
        Assert.Equal("/bucket/second", Assert.Single(rig.Upstream.Requests).Target);
    }

    [Theory]
    [InlineData(ResponseFraming.ContentLength)]
    [InlineData(ResponseFraming.Chunked)]
    [InlineData(ResponseFraming.UntilClose)]
    public async Task Respond_frames_the_body_as_asked(ResponseFraming framing)
    {
        await using var rig = ProxyRig.Start(FaultRule.Respond(200, ResponseBody.FromText("framed body")).WithFraming(framing));

        using var response = await rig.Client.GetAsync(Target("/bucket/key"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(framing == ResponseFraming.ContentLength ? "framed body".Length : null, response.Content.Headers.ContentLength);
        Assert.Equal(framing == ResponseFraming.Chunked, response.Headers.TransferEncodingChunked ?? false);
        Assert.Equal("framed body", await response.Content.ReadAsStringAsync());
        Assert.Empty(rig.Proxy.Errors);
    }

    [Fact]
    public async Task Respond_to_a_head_request_sends_the_head_without_the_body()
    {
        await using var rig = ProxyRig.Start(FaultRule.Respond(200, ResponseBody.FromText("not sent")).KeepingAlive());

        using var head = await rig.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Target("/bucket/key")));
        using var get = await rig.Client.GetAsync(Target("/bucket/key"));

        Assert.Equal("not sent".Length, head.Content.Headers.ContentLength);
        Assert.Equal("not sent", await get.Content.ReadAsStringAsync());
        var records = await rig.CompletedAsync(2);
        Assert.Equal(0, records[0].ResponseBodyBytesSent);
        Assert.Equal(1, rig.Proxy.ConnectionsAccepted);
    }

    [Theory]
    [InlineData(301, "PermanentRedirect")]
    [InlineData(307, "TemporaryRedirect")]
    public async Task Respond_with_redirect_sends_the_location_and_the_endpoint_in_an_S3_body(int status, string code)
    {
        await using var rig = ProxyRig.Start(FaultRule.RespondWithRedirect(status, "http://127.0.0.2:9000/bucket/key?uploads", "127.0.0.2:9000").ForMethod("POST"));

        using var response = await rig.Client.PostAsync(Target("/bucket/key?uploads"), content: null);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(new Uri("http://127.0.0.2:9000/bucket/key?uploads"), response.Headers.Location);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<Endpoint>127.0.0.2:9000</Endpoint>", body, StringComparison.Ordinal);
        Assert.Empty(rig.Upstream.Requests);
    }

    [Fact]
    public async Task Respond_with_redirect_without_endpoint_has_an_empty_body()
    {
        await using var rig = ProxyRig.Start(FaultRule.RespondWithRedirect(307, "http://127.0.0.2:9000/bucket/key"));

        using var response = await rig.Client.GetAsync(Target("/bucket/key"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri("http://127.0.0.2:9000/bucket/key"), response.Headers.Location);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<?xml version=\"1.0\"?><ListPartsResult><Part><PartNumber>1</Par")]
    [InlineData("not xml at all \u0001\u00ff")]
    public async Task Respond_with_xml_sends_a_200_with_exactly_that_body(string xml)
    {
        await using var rig = ProxyRig.Start(FaultRule.RespondWithXml(xml).ForMethod("GET").WithQueryParameter("uploadId"));

        using var response = await rig.Client.GetAsync(Target("/bucket/key?uploadId=u1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(xml), await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(rig.Upstream.Requests);
    }

    [Fact]
    public void Answer_modifiers_refuse_a_rule_that_does_not_answer_locally()
    {
        var relayed = FaultRule.DropResponse();

        Assert.Throws<InvalidOperationException>(() => relayed.WithResponseHeader("ETag", "\"x\""));
        Assert.Throws<InvalidOperationException>(() => relayed.WithFraming(ResponseFraming.Chunked));
        Assert.Throws<InvalidOperationException>(() => relayed.KeepingAlive());
    }
}
