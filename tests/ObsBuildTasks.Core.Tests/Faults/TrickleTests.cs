using System.Diagnostics;
using ObsBuildTasks.Testing.Faults;
using static ObsBuildTasks.Tests.Faults.ProxyTesting;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>
/// Bodies sent slowly but steadily. Twenty pieces take at least nineteen intervals; the bounds allow for timers firing
/// a little early and nothing else, while without the pace the bodies take about a millisecond.
/// </summary>
public sealed class TrickleTests
{
    private const int Pieces = 20;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan AtLeast = (Pieces - 1) * Interval * 0.9;

    [Fact]
    public async Task Trickle_response_relays_the_upstream_body_at_the_pace_after_the_head()
    {
        const string Target40 = "/bucket/abcdefghijklmnopqrstuvwxy"; // the stand-in answers "object:" + target: 40 bytes
        await using var rig = ProxyRig.Start(FaultRule.TrickleResponse(2, Interval).ForMethod("GET"));

        using var response = await rig.Client.GetAsync(Target(Target40), HttpCompletionOption.ResponseHeadersRead);
        var watch = Stopwatch.StartNew();
        var body = await response.Content.ReadAsStringAsync();
        var bodyTime = watch.Elapsed;

        Assert.Equal("object:" + Target40, body);
        Assert.Equal(2 * Pieces, body.Length);
        Assert.True(bodyTime >= AtLeast, $"The body came in {bodyTime}.");
        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.IsType<TrickleResponseFault>(record.Fault);
        Assert.Equal(200, record.UpstreamStatus);
        Assert.Equal(200, record.RelayedStatus);
        Assert.Equal(body.Length, record.ResponseBodyBytesSent);
        Assert.Empty(rig.Proxy.Errors);
    }

    [Fact]
    public async Task Trickled_sends_a_made_up_body_at_the_pace()
    {
        var listing = new string('L', 16 * Pieces);
        await using var rig = ProxyRig.Start(FaultRule.RespondWithXml(listing).Trickled(16, Interval));

        using var response = await rig.Client.GetAsync(Target("/bucket/key?uploadId=u1"), HttpCompletionOption.ResponseHeadersRead);
        var watch = Stopwatch.StartNew();
        var body = await response.Content.ReadAsStringAsync();
        var bodyTime = watch.Elapsed;

        Assert.Equal(listing, body);
        Assert.True(bodyTime >= AtLeast, $"The body came in {bodyTime}.");
        Assert.Empty(rig.Upstream.Requests);
    }

    [Fact]
    public async Task Trickle_request_body_forwards_the_whole_body_at_the_pace()
    {
        await using var rig = ProxyRig.Start(FaultRule.TrickleRequestBody(100, Interval).ForMethod("PUT"));

        var watch = Stopwatch.StartNew();
        using var response = await rig.Client.PutAsync(Target("/bucket/key?partNumber=1&uploadId=u1"), new ByteArrayContent(new byte[100 * Pieces]));
        var answer = await response.Content.ReadAsStringAsync();
        var exchangeTime = watch.Elapsed;

        Assert.Equal($"received={100 * Pieces}", answer);
        Assert.True(exchangeTime >= AtLeast, $"The exchange took {exchangeTime}.");
        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.IsType<TrickleRequestBodyFault>(record.Fault);
        Assert.Equal(100 * Pieces, record.BodyBytesForwarded);
    }
}
