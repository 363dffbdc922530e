using ObsBuildTasks.Testing.Faults;
using static ObsBuildTasks.Tests.Faults.ProxyTesting;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>A stalled server: the request arrives and no answer ever comes; the record settles when the client or the proxy gives up.</summary>
public sealed class NeverRespondTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Never_respond_reads_the_request_and_says_nothing_until_the_client_gives_up()
    {
        await using var rig = ProxyRig.Start(Patience, FaultRule.NeverRespond().ForMethod("PUT"));

        await PutUntilTheClientGivesUpAsync(rig, 100_000);

        var record = Assert.Single(await rig.CompletedAsync(1));
        Assert.IsType<NeverRespondFault>(record.Fault);
        Assert.Equal(100_000, record.BodyBytesReceived);
        AssertUnanswered(rig, record);
    }

    [Fact]
    public async Task Never_respond_settles_when_the_proxy_is_disposed()
    {
        await using var rig = ProxyRig.Start(FaultRule.NeverRespond());
        using var client = await SendRawAsync(rig.Proxy, "GET /bucket/key HTTP/1.1\r\nHost: proxy\r\n\r\n");
        await rig.Proxy.WaitForReceivedRequestsAsync(1).WaitAsync(WaitLimit);

        await rig.Proxy.DisposeAsync().AsTask().WaitAsync(WaitLimit);

        AssertUnanswered(rig, Assert.Single(rig.Proxy.Requests));
        Assert.Empty((await ReadUntilEndAsync(client)).Received);
    }

    [Fact]
    public async Task Stop_reading_takes_no_body_and_says_nothing_until_the_proxy_is_disposed()
    {
        await using var rig = ProxyRig.Start(Patience, FaultRule.StopReading().ForMethod("PUT"));

        // Far more than the socket buffers hold: the client is still writing when it gives up, and its close waits
        // behind the bytes the proxy never reads, so only disposing the proxy settles the request.
        await PutUntilTheClientGivesUpAsync(rig, 64 * 1024 * 1024);
        await rig.Proxy.DisposeAsync().AsTask().WaitAsync(WaitLimit);

        var record = Assert.Single(rig.Proxy.Requests);
        Assert.IsType<StopReadingFault>(record.Fault);
        Assert.Equal(0, record.BodyBytesReceived);
        AssertUnanswered(rig, record);
    }

    [Fact]
    public async Task Stop_reading_settles_when_a_bodiless_requests_client_closes()
    {
        await using var rig = ProxyRig.Start(Patience, FaultRule.StopReading());

        await Assert.ThrowsAsync<TaskCanceledException>(() => rig.Client.GetAsync(Target("/bucket/key")));

        AssertUnanswered(rig, Assert.Single(await rig.CompletedAsync(1)));
    }

    /// <summary>Sends a part whose answer never comes: the client gives up after <see cref="Patience"/>.</summary>
    private static async Task PutUntilTheClientGivesUpAsync(ProxyRig rig, int bodyBytes)
    {
        var error = await Assert.ThrowsAsync<TaskCanceledException>(
            () => rig.Client.PutAsync(Target("/bucket/key?partNumber=1&uploadId=u1"), new ByteArrayContent(new byte[bodyBytes])));

        Assert.IsType<TimeoutException>(error.InnerException);
    }

    /// <summary>Asserts that the proxy is done with the request, having sent no answer and forwarded nothing.</summary>
    private static void AssertUnanswered(ProxyRig rig, ProxiedRequest record)
    {
        Assert.True(record.Completed);
        Assert.Null(record.RelayedStatus);
        Assert.Empty(rig.Upstream.Requests);
        Assert.Empty(rig.Proxy.Errors);
    }
}
