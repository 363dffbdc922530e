using System.Diagnostics;
using System.Net;
using System.Text;
using ObsBuildTasks.Testing.Faults;
using static ObsBuildTasks.Tests.Faults.ProxyTesting;

namespace ObsBuildTasks.Tests.Faults;

public sealed class FaultInjectingProxyTests
{
    [Fact]
    public async Task Pass_through_relays_keep_alive_requests_with_bodies_and_records_them()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        using var client = CreateClient(proxy);
        var part = new byte[3 * 1024 * 1024];

        using var put = await client.PutAsync(new Uri("/bucket/key?partNumber=1&uploadId=u1", UriKind.Relative), new ByteArrayContent(part));
        var putBody = await put.Content.ReadAsStringAsync();
        var get = await client.GetStringAsync(new Uri("/bucket/key", UriKind.Relative));
        var chunked = await client.GetStringAsync(new Uri("/bucket/key?chunked", UriKind.Relative));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/bucket/key", UriKind.Relative)));
        using var delete = await client.DeleteAsync(new Uri("/bucket/key?uploadId=u1", UriKind.Relative));

        Assert.Equal("received=3145728", putBody);
        Assert.Equal("object:/bucket/key", get);
        Assert.Equal("object:/bucket/key?chunked", chunked);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(LoopbackHttpServer.HeadContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var records = await proxy.WaitForCompletedRequestsAsync(5).WaitAsync(WaitLimit);
        Assert.Equal(["PUT", "GET", "GET", "HEAD", "DELETE"], records.Select(r => r.Method));
        Assert.Equal([200, 200, 200, 200, 204], records.Select(r => r.RelayedStatus ?? 0));
        Assert.All(records, r => Assert.False(r.FaultApplied));
        Assert.All(records, r => Assert.Equal(1, r.ConnectionId));
        Assert.Equal("/bucket/key?partNumber=1&uploadId=u1", records[0].PathAndQuery);
        Assert.Equal(part.Length, records[0].BodyBytesReceived);
        Assert.Equal("object:/bucket/key".Length, records[1].ResponseBodyBytesSent);
        Assert.Equal(part.Length, proxy.RequestBodyBytesForwarded);
        Assert.Equal(1, proxy.ConnectionsAccepted);
        Assert.Equal(5, upstream.Requests.Count);
        Assert.Empty(proxy.Errors);
    }

    [Fact]
    public async Task Expect_continue_is_answered_by_the_proxy_so_the_body_is_sent_at_once()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        // Without a 100 Continue the client would wait this long before sending the body, outlasting its Timeout.
        using var handler = new SocketsHttpHandler { UseProxy = false, Expect100ContinueTimeout = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = proxy.Endpoint, Timeout = WaitLimit };
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/bucket/key?partNumber=1&uploadId=u1", UriKind.Relative))
        {
            Content = new ByteArrayContent(new byte[100_000]),
        };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal("received=100000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cut_request_body_fails_the_client_and_forwards_only_part_of_the_body()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.CutRequestBody(64 * 1024).ForMethod("PUT").WithQueryParameter("partNumber"));
        using var client = CreateClient(proxy);

        await AssertTransportFailureAsync(() => client.PutAsync(
            new Uri("/bucket/key?partNumber=1&uploadId=u1", UriKind.Relative), new ByteArrayContent(new byte[1024 * 1024])));

        var seen = await upstream.NextRequestAsync();
        Assert.Equal(1024 * 1024, seen.DeclaredLength);
        Assert.Equal(64 * 1024, seen.BodyBytesReceived);
        var record = Assert.Single(await proxy.WaitForCompletedRequestsAsync(1).WaitAsync(WaitLimit));
        Assert.Equal(new CutRequestBodyFault(64 * 1024), record.Fault);
        Assert.Equal(64 * 1024, record.BodyBytesForwarded);
        Assert.Null(record.RelayedStatus);
        Assert.Empty(proxy.Errors);
    }

    [Fact]
    public async Task Respond_with_error_answers_with_S3_error_without_forwarding()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("PUT").First(1));
        using var client = CreateClient(proxy);

        using var faulted = await client.PutAsync(new Uri("/bucket/key?partNumber=1&uploadId=u1", UriKind.Relative), new ByteArrayContent(new byte[10_000]));
        var errorBody = await faulted.Content.ReadAsStringAsync();
        var after = await client.GetStringAsync(new Uri("/bucket/after", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal("application/xml", faulted.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<Code>SlowDown</Code>", errorBody, StringComparison.Ordinal);
        Assert.Contains("<RequestId>proxy-1</RequestId>", errorBody, StringComparison.Ordinal);
        Assert.Equal("object:/bucket/after", after);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("/bucket/after", seen.Target);
        var records = await proxy.WaitForCompletedRequestsAsync(2).WaitAsync(WaitLimit);
        Assert.Equal(10_000, records[0].BodyBytesReceived);
        Assert.Equal(0, records[0].BodyBytesForwarded);
        Assert.Null(records[0].UpstreamStatus);
    }

    [Fact]
    public async Task Delay_response_makes_a_client_with_a_short_timeout_time_out()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(5)).ForMethod("GET"));
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var warmUp = new HttpClient(handler, disposeHandler: false) { BaseAddress = proxy.Endpoint, Timeout = WaitLimit };
        using var impatient = new HttpClient(handler, disposeHandler: false) { BaseAddress = proxy.Endpoint, Timeout = TimeSpan.FromMilliseconds(300) };

        // Opens the pooled connection first, so the short timeout only has to cover the delayed exchange.
        using var warmUpResponse = await warmUp.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/bucket/key", UriKind.Relative)));
        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(new Uri("/bucket/key", UriKind.Relative)));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal("HEAD", (await upstream.NextRequestAsync()).Method);
        Assert.Equal("GET", (await upstream.NextRequestAsync()).Method);
    }

    [Fact]
    public async Task Delay_response_abandons_the_exchange_when_the_client_disconnects()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(5)));
        using var client = CreateClient(proxy);
        using var giveUp = new CancellationTokenSource();

        var send = client.GetAsync(new Uri("/bucket/key", UriKind.Relative), giveUp.Token);
        Assert.Equal("/bucket/key", (await upstream.NextRequestAsync()).Target);
        await giveUp.CancelAsync();
        await Assert.ThrowsAsync<TaskCanceledException>(() => send);

        // Completes long before the five-minute delay only if the proxy noticed the client leaving.
        var record = Assert.Single(await proxy.WaitForCompletedRequestsAsync(1).WaitAsync(WaitLimit));
        Assert.Equal(200, record.UpstreamStatus);
        Assert.Null(record.RelayedStatus);
    }

    [Fact]
    public async Task Delay_response_relays_the_response_after_the_delay()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        var delay = TimeSpan.FromMilliseconds(300);
        proxy.AddRule(FaultRule.DelayResponse(delay));
        using var client = CreateClient(proxy);

        var watch = Stopwatch.StartNew();
        var body = await client.GetStringAsync(new Uri("/bucket/key", UriKind.Relative));

        Assert.Equal("object:/bucket/key", body);
        Assert.True(watch.Elapsed >= delay - TimeSpan.FromMilliseconds(20), $"Response arrived after {watch.Elapsed}.");
    }

    [Fact]
    public async Task Drop_response_lets_the_upstream_complete_but_fails_the_client()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.DropResponse().ForMethod("POST").WithQueryParameter("uploadId", "u1"));
        using var client = CreateClient(proxy);
        using var complete = new StringContent("<CompleteMultipartUpload></CompleteMultipartUpload>", Encoding.UTF8, "application/xml");

        await AssertTransportFailureAsync(() => client.PostAsync(new Uri("/bucket/key?uploadId=u1", UriKind.Relative), complete));

        var seen = await upstream.NextRequestAsync();
        Assert.Equal("POST", seen.Method);
        Assert.True(seen.BodyComplete);
        var record = Assert.Single(await proxy.WaitForCompletedRequestsAsync(1).WaitAsync(WaitLimit));
        Assert.Equal(200, record.UpstreamStatus);
        Assert.Null(record.RelayedStatus);
        Assert.IsType<DropResponseFault>(record.Fault);
    }

    [Fact]
    public async Task Drop_response_resets_the_connection_rather_than_ending_it_cleanly()
    {
        await using var rig = ProxyRig.Start(FaultRule.DropResponse());
        using var client = await SendRawAsync(rig.Proxy, "GET /bucket/key HTTP/1.1\r\nHost: proxy\r\n\r\n");

        var (received, reset) = await ReadUntilEndAsync(client);

        Assert.Empty(received);
        Assert.True(reset, "The connection ended with a clean end of stream, which a client may take for a closed idle connection.");
    }

    [Fact]
    public async Task First_n_budget_faults_only_the_first_n_matching_requests()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("PUT").WithQueryParameter("partNumber").First(2));
        using var client = CreateClient(proxy);

        var statuses = new List<int>();
        for (var part = 1; part <= 5; part++)
        {
            // A non-matching request in between must not use up the budget.
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/bucket/key")));
            statuses.Add((int)await SendAsync(client, HttpMethod.Put, $"/bucket/key?partNumber={part}&uploadId=u1"));
        }

        Assert.Equal([503, 503, 200, 200, 200], statuses);
    }

    [Fact]
    public async Task Every_nth_budget_faults_every_kth_matching_request()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(500, "InternalError").ForMethod("PUT").EveryNth(3));
        using var client = CreateClient(proxy);

        var statuses = new List<int>();
        for (var part = 1; part <= 7; part++)
        {
            statuses.Add((int)await SendAsync(client, HttpMethod.Put, $"/bucket/key?partNumber={part}&uploadId=u1"));
        }

        Assert.Equal([200, 200, 500, 200, 200, 500, 200], statuses);
    }

    [Fact]
    public async Task First_n_budget_holds_exactly_under_concurrent_requests()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").First(5));
        using var client = CreateClient(proxy);

        var statuses = await Task.WhenAll(Enumerable.Range(1, 20).Select(
            part => SendAsync(client, HttpMethod.Put, $"/bucket/key?partNumber={part}&uploadId=u1")));

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(15, upstream.Requests.Count);
    }

    [Fact]
    public async Task Fraction_budget_is_deterministic_for_a_seed()
    {
        var first = await FaultPatternAsync(seed: 42);
        var second = await FaultPatternAsync(seed: 42);

        Assert.Equal(first, second);
        Assert.Contains(true, first);
        Assert.Contains(false, first);

        static async Task<bool[]> FaultPatternAsync(int seed)
        {
            await using var upstream = new LoopbackHttpServer();
            await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
            proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").WithProbability(0.5, seed));
            using var client = CreateClient(proxy);
            var pattern = new bool[20];
            for (var i = 0; i < pattern.Length; i++)
            {
                pattern[i] = await SendAsync(client, HttpMethod.Get, "/bucket/key") == HttpStatusCode.ServiceUnavailable;
            }

            return pattern;
        }
    }

    [Fact]
    public async Task Clear_rules_stops_further_faults()
    {
        await using var upstream = new LoopbackHttpServer();
        await using var proxy = new FaultInjectingProxy(upstream.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown"));
        using var client = CreateClient(proxy);

        var before = await SendAsync(client, HttpMethod.Get, "/bucket/key");
        proxy.ClearRules();
        var after = await SendAsync(client, HttpMethod.Get, "/bucket/key");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before);
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Theory]
    [InlineData("PUT", "/b/k?partNumber=2&uploadId=u1", true)]
    [InlineData("put", "/b/k?uploadId=u1&partNumber=2", true)]
    [InlineData("PUT", "/b/k?partNumber=3&uploadId=u1", false)]
    [InlineData("POST", "/b/k?partNumber=2&uploadId=u1", false)]
    [InlineData("PUT", "/b/k?partNumber=2&uploadId=u1&uploads", false)]
    [InlineData("PUT", "/b/k", false)]
    public void Matches_combines_method_and_query_predicates(string method, string target, bool expected)
    {
        var rule = FaultRule.DropResponse().ForMethod("PUT").WithQueryParameter("partNumber", "2").WithoutQueryParameter("uploads");

        Assert.Equal(expected, rule.Matches(method, target));
    }

    [Fact]
    public async Task Dispose_async_closes_idle_keep_alive_connections_and_completes()
    {
        await using var upstream = new LoopbackHttpServer();
        var proxy = new FaultInjectingProxy(upstream.Endpoint);
        using var client = CreateClient(proxy);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, HttpMethod.Get, "/bucket/key"));

        await proxy.DisposeAsync().AsTask().WaitAsync(WaitLimit);

        await AssertTransportFailureAsync(() => client.GetAsync(new Uri("/bucket/key", UriKind.Relative)));
    }
}
