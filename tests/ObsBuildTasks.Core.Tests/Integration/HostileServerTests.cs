using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// A server that answers with huge, malformed, lying or redirecting answers, or never answers: every case ends with the
/// stored object equal to the file, or with a coded failure of an explicit kind that says what happened, in bounded
/// memory and time, with nothing unchecked in the checkpoint and nothing sent to a host that was not configured.
/// </summary>
public sealed class HostileServerTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const long FileSize = 5 * PartSize + 7;
    private const string GarbageXml = "<InitiateMultipartUploadResult><Bucket>b</Bucket><Upl";
    private readonly TestFiles _files = new();
    private readonly RecordingObserver _events = new();
    private ProxiedStore _store = null!;

    private FaultInjectingProxy Proxy => _store.Proxy;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Three_gigabyte_error_body_is_read_only_up_to_its_limit_and_the_part_is_sent_again()
    {
        Proxy.AddRule(FaultRule.Respond(500, ResponseBody.Generated(3_000_000_000, "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>"),
            "application/xml").ForMethod("PUT").WithQueryParameter("partNumber").First(1));
        var request = NewRequest();

        await Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        var huge = Assert.Single(await _store.SettledRequestsAsync(), r => r.FaultApplied);
        // The client stopped reading: what went out is its 64 KiB and what the sockets' buffers held, not 3 GB.
        Assert.InRange(huge.ResponseBodyBytesSent, 1, 64L * 1024 * 1024);
        Assert.Equal(ObsErrorKind.Service, Assert.Single(_events.Of<RequestRetriedEvent>()).Cause.Kind);
    }

    [Fact]
    public async Task Endless_success_answer_to_list_parts_is_a_malformed_answer_in_bounded_memory()
    {
        var request = await FailedHalfWayAsync();
        Proxy.AddRule(FaultRule.Respond(200, ResponseBody.Endless("<ListPartsResult>"), "application/xml").ForMethod("GET").WithQueryParameter("uploadId"));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1).UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "ListParts"), (error.Kind, error.Operation));
        Assert.Contains("larger than 4 MiB", error.Message, StringComparison.Ordinal);
        Assert.All((await _store.SettledRequestsAsync()).Where(r => r.FaultApplied), r => Assert.InRange(r.ResponseBodyBytesSent, 1, 64L * 1024 * 1024));
        Assert.True(File.Exists(request.CheckpointFile));
    }

    [Fact]
    public async Task List_parts_that_says_there_is_more_without_listing_more_fails_at_once_saying_what_to_check()
    {
        var request = await FailedHalfWayAsync();
        Proxy.AddRule(RespondPerRequest(n => $"<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>{n}</NextPartNumberMarker></ListPartsResult>")
            .ForMethod("GET").WithQueryParameter("uploadId"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request, limit.Token));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "ListParts"), (error.Kind, error.Operation));
        Assert.Contains("the server kept answering that there is more (IsTruncated) but page 1 listed no part after part 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("check for a proxy or gateway between the build and the store, and check Endpoint", error.Message, StringComparison.Ordinal);
        Assert.Single(await _store.SettledRequestsAsync(), r => r.IsListParts());
    }

    [Fact]
    public async Task List_parts_whose_pages_never_end_stops_after_a_thousand_pages()
    {
        var request = await FailedHalfWayAsync();
        Proxy.AddRule(RespondPerRequest(n => $"<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>{n}</NextPartNumberMarker>"
            + $"<Part><PartNumber>{n}</PartNumber><ETag>\"x\"</ETag><Size>1</Size></Part></ListPartsResult>").ForMethod("GET").WithQueryParameter("uploadId"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request, limit.Token));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "ListParts"), (error.Kind, error.Operation));
        Assert.Contains("kept answering that there is more (IsTruncated) after 1000 pages (1000 parts)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, (await _store.SettledRequestsAsync()).Count(r => r.IsListParts()));
    }

    [Fact]
    public async Task List_multipart_uploads_whose_pages_never_end_stops_after_a_hundred_pages()
    {
        Proxy.AddRule(RespondPerRequest(n => "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
            + $"<NextKeyMarker>k{n}</NextKeyMarker><NextUploadIdMarker>u{n}</NextUploadIdMarker></ListMultipartUploadsResult>").ForMethod("GET").WithQueryParameter("uploads"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().ListMultipartUploadsAsync(_store.Bucket, "app.zip", limit.Token));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "ListMultipartUploads"), (error.Kind, error.Operation));
        Assert.Contains("after 100 pages (0 unfinished uploads of keys starting with 'app.zip')", error.Message, StringComparison.Ordinal);
        Assert.Contains("proxy or gateway", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, (await _store.SettledRequestsAsync()).Count(r => r.IsListUploads()));
    }

    [Fact]
    public async Task Garbage_answer_to_initiate_is_retried_then_reported_as_malformed_with_no_checkpoint_written()
    {
        Proxy.AddRule(FaultRule.RespondWithXml(GarbageXml).ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 2).UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "InitiateMultipartUpload"), (error.Kind, error.Operation));
        Assert.Contains("not a complete XML document", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await _store.SettledRequestsAsync()).Count(r => r.IsInitiate()));
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<InitiateMultipartUploadResult><UploadId>two words</UploadId></InitiateMultipartUploadResult>")]
    [InlineData("<InitiateMultipartUploadResult><UploadId>../../evil?x=1&amp;y</UploadId></InitiateMultipartUploadResult>")]
    public async Task Unusable_answer_to_initiate_once_is_retried_and_the_upload_completes(string answer)
    {
        Proxy.AddRule(FaultRule.RespondWithXml(answer).ForMethod("POST").WithQueryParameter("uploads").First(1));
        var request = NewRequest();

        await Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ObsErrorKind.MalformedAnswer, Assert.Single(_events.Of<RequestRetriedEvent>()).Cause.Kind);
    }

    [Fact]
    public async Task Upload_id_that_is_not_a_plain_token_is_never_used_nor_written_to_the_checkpoint()
    {
        Proxy.AddRule(FaultRule.RespondWithXml("<InitiateMultipartUploadResult><UploadId>../../evil?x=1&amp;y</UploadId></InitiateMultipartUploadResult>")
            .ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1).UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "InitiateMultipartUpload"), (error.Kind, error.Operation));
        Assert.Contains("the upload id '../../evil?x=1&y' is not a plain token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _store.SettledRequestsAsync(), r => r.IsUploadPart());
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Theory]
    [InlineData("<Bucket>another-bucket</Bucket>", "Bucket 'another-bucket'")]
    [InlineData("<Key>another.bin</Key>", "Key 'another.bin'")]
    public async Task Answer_to_initiate_for_another_bucket_or_key_is_malformed(string element, string named)
    {
        Proxy.AddRule(FaultRule.RespondWithXml($"<InitiateMultipartUploadResult>{element}<UploadId>abc</UploadId></InitiateMultipartUploadResult>")
            .ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1).UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "InitiateMultipartUpload"), (error.Kind, error.Operation));
        Assert.Contains($"it is for {named}, not ", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Fact]
    public async Task Error_document_in_a_200_answer_to_initiate_is_the_service_error_it_carries_and_is_retried_as_its_code()
    {
        Proxy.AddRule(FaultRule.RespondWithXml("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>")
            .ForMethod("POST").WithQueryParameter("uploads").First(1));
        var request = NewRequest();

        await Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        var cause = Assert.Single(_events.Of<RequestRetriedEvent>()).Cause;
        Assert.Equal((ObsErrorKind.Service, "InternalError", HttpStatusCode.OK), (cause.Kind, cause.ErrorCode, cause.StatusCode));
    }

    [Fact]
    public async Task Refusal_in_a_200_answer_to_initiate_fails_at_once_with_its_code_and_text()
    {
        Proxy.AddRule(FaultRule.RespondWithXml("<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><RequestId>r-42</RequestId></Error>")
            .ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.Service, "AccessDenied", "r-42"), (error.Kind, error.ErrorCode, error.RequestId));
        Assert.StartsWith("InitiateMultipartUpload was accepted (HTTP 200) but then failed: AccessDenied: Access Denied. Check that the credentials", error.Message, StringComparison.Ordinal);
        Assert.Single(await _store.SettledRequestsAsync(), r => r.IsInitiate());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"not-hex\"")]
    [InlineData("\"0123456789abcdef0123456789abcdef\"")]
    public async Task Part_answer_without_a_true_md5_etag_is_a_damaged_part_sent_again(string? etag)
    {
        var edit = etag is null ? ResponseEdit.RemoveHeader("ETag") : ResponseEdit.SetHeader("ETag", etag);
        Proxy.AddRule(FaultRule.RewriteResponse(edit).ForMethod("PUT").WithQueryParameter("partNumber", "2").First(1));
        var request = NewRequest();

        var result = await Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        var retry = Assert.Single(_events.Of<RequestRetriedEvent>());
        Assert.Equal(("UploadPart", 2), (retry.Operation, retry.PartNumber));
        Assert.Equal(etag is "\"0123456789abcdef0123456789abcdef\"" ? ObsErrorKind.IntegrityMismatch : ObsErrorKind.MalformedAnswer, retry.Cause.Kind);
    }

    [Fact]
    public async Task Part_answers_that_never_carry_an_md5_fail_with_a_coded_error_and_nothing_unchecked_in_the_checkpoint()
    {
        Proxy.AddRule(FaultRule.RewriteResponse(ResponseEdit.SetHeader("ETag", "\"not-hex\"")).ForMethod("PUT").WithQueryParameter("partNumber", "3"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1).UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.MalformedAnswer, "UploadPart"), (error.Kind, error.Operation));
        Assert.Contains("not an MD5", error.Message, StringComparison.Ordinal);
        var checkpoint = await File.ReadAllTextAsync(request.CheckpointFile!);
        Assert.DoesNotContain("not-hex", checkpoint, StringComparison.Ordinal);
        Assert.DoesNotContain("\"partNumber\": 3", checkpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_answer_to_a_complete_that_took_effect_is_retried_and_the_object_reported()
    {
        Proxy.AddRule(FaultRule.RewriteResponse(ResponseEdit.TruncateBody(40)).ForMethod("POST").WithQueryParameter("uploadId").First(1));
        var request = NewRequest();

        var result = await Client().UploadFileAsync(request);

        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Fact]
    public async Task Complete_answer_with_another_etag_fails_without_claiming_anything_is_sent_again()
    {
        Proxy.AddRule(FaultRule.RewriteResponse(ResponseEdit.ReplaceBody(ResponseBody.FromText(
            "<CompleteMultipartUploadResult><ETag>\"00000000000000000000000000000000-6\"</ETag></CompleteMultipartUploadResult>")))
            .ForMethod("POST").WithQueryParameter("uploadId"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.IntegrityMismatch, "CompleteMultipartUpload"), (error.Kind, error.Operation));
        Assert.Contains($"but the parts sent make {ProxiedStore.MultipartETag(request.UploadFile, PartSize)}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("again;", error.Message.Replace("run the build again", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("sending again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_answered_for_a_store_that_never_assembled_the_object_fails()
    {
        var request = NewRequest();
        Proxy.AddRule(FaultRule.RespondWithXml(
            $"<CompleteMultipartUploadResult><ETag>\"{ProxiedStore.MultipartETag(request.UploadFile, PartSize)}\"</ETag></CompleteMultipartUploadResult>")
            .ForMethod("POST").WithQueryParameter("uploadId"));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.IntegrityMismatch, "CompleteMultipartUpload"), (error.Kind, error.Operation));
        Assert.Contains("asked for the object it says there is no such object", error.Message, StringComparison.Ordinal);
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Put_answered_for_a_store_that_never_got_the_object_fails()
    {
        var request = NewRequest(size: 1000);
        Proxy.AddRule(FaultRule.Respond(200).WithResponseHeader("ETag", $"\"{TestFiles.Md5(request.UploadFile)}\"").ForMethod("PUT"));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.IntegrityMismatch, "PutObject"), (error.Kind, error.Operation));
        Assert.Contains("asked for the object it says there is no such object", error.Message, StringComparison.Ordinal);
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
    }

    [Theory]
    [InlineData(FileSize)]
    [InlineData(1000)]
    public async Task Credentials_that_may_not_read_the_object_store_it_with_a_warning(long size)
    {
        Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("HEAD").WithoutQueryParameter("apiversion"));
        var request = NewRequest(size);

        var result = await Client().UploadFileAsync(request);

        Assert.Equal(size > PartSize ? ProxiedStore.MultipartETag(request.UploadFile, PartSize) : TestFiles.Md5(request.UploadFile), result.ETag);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.ObjectNotVerified);
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Fact]
    public async Task Complete_kept_alive_with_whitespace_for_longer_than_the_idle_timeout_succeeds_at_once()
    {
        Proxy.AddRule(FaultRule.RewriteResponse(ResponseEdit.KeepAliveWhitespace(spaces: 12, TimeSpan.FromMilliseconds(250)))
            .ForMethod("POST").WithQueryParameter("uploadId"));
        var request = NewRequest();

        var result = await Client(idleSeconds: 1).UploadFileAsync(request);

        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        Assert.Empty(_events.Of<RequestRetriedEvent>());
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Theory]
    [InlineData("http://someone:hunter2@127.0.0.1:9/x?uploads")]
    [InlineData("http://someone:hunter2@bad host/x")]
    [InlineData("//someone:hunter2@evil.example/x")]
    [InlineData("http://someone:hunter2@evil.example:99999/x")]
    [InlineData("someone:hunter2@evil.example/x")]
    [InlineData("someone:hunter2@evil.example/x?next=http://elsewhere/")]
    public async Task Redirect_target_with_user_info_is_quoted_without_it(string location)
    {
        Proxy.AddRule(FaultRule.RespondWithRedirect(307, location).ForMethod("POST").WithQueryParameter("uploads"));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(NewRequest()));

        Assert.Equal(ObsErrorKind.Redirect, error.Kind);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("someone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_file_tells_how_many_bytes_it_sent()
    {
        Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "3"));
        var request = NewRequest();

        await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.InRange(Assert.Single(_events.Of<FileFailedEvent>()).BytesSent, 2 * PartSize, 3 * PartSize);
    }

    [Fact]
    public async Task Redirect_is_not_followed_and_names_where_it_pointed()
    {
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var target = $"127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}";
        Proxy.AddRule(FaultRule.RespondWithRedirect(307, $"http://{target}/{_store.Bucket}/x?uploads").ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.Redirect, HttpStatusCode.TemporaryRedirect), (error.Kind, error.StatusCode));
        Assert.Contains($"the endpoint redirected to http://{target}; set Endpoint to it if you trust it", error.Message, StringComparison.Ordinal);
        Assert.Single(await _store.SettledRequestsAsync(), r => r.IsInitiate());
        Assert.False(elsewhere.Pending(), "a connection was made to the host the redirect named");
        Assert.Empty(_events.Of<RequestRetriedEvent>());
    }

    [Fact]
    public async Task Permanent_redirect_body_names_the_bucket_endpoint_to_configure()
    {
        Proxy.AddRule(FaultRule.RespondWithRedirect(301, null, $"{_store.Bucket}.obs.cn-south-1.myhuaweicloud.com").ForMethod("PUT"));
        var request = NewRequest(size: 1000);

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal(ObsErrorKind.Redirect, error.Kind);
        Assert.Contains("set Endpoint to it", error.Message, StringComparison.Ordinal);
        Assert.Contains("redirected to http://obs.cn-south-1.myhuaweicloud.com;", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{_store.Bucket}.obs.cn-south-1.myhuaweicloud.com", error.RedirectTarget);
    }

    [Fact]
    public async Task Server_that_never_answers_fails_within_the_idle_timeouts_saying_what_was_awaited()
    {
        Proxy.AddRule(FaultRule.NeverRespond().ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1, idleSeconds: 1).UploadFileAsync(request));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(40));
        Assert.Equal((ObsErrorKind.IdleTimeout, "InitiateMultipartUpload"), (error.Kind, error.Operation));
        Assert.Contains("nothing moved for 1 s while waiting for the answer", error.Message, StringComparison.Ordinal);
        Assert.Contains(Proxy.Endpoint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 2 of 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("IdleTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_stops_reading_the_body_fails_within_the_idle_timeouts_saying_the_body_was_being_sent()
    {
        // Far more than the sockets hold: the client stays stuck writing the body.
        const long Size = 48L * 1024 * 1024;
        Proxy.AddRule(FaultRule.StopReading().ForMethod("PUT"));
        var request = new UploadFileRequest(_store.Bucket, LocalObjectStore.UniqueKey("stalled.bin"), _files.Create("stalled.bin", Size, seed: 6))
        {
            PartSize = Size,
            EnableCheckpoint = false,
        };

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1, idleSeconds: 1).UploadFileAsync(request));

        Assert.Equal((ObsErrorKind.IdleTimeout, "PutObject"), (error.Kind, error.Operation));
        Assert.Contains("nothing moved for 1 s while sending the request body", error.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 2 of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_but_steady_answer_is_never_cut()
    {
        // About 4 KiB at 512 bytes every 200 ms: about twice the idle timeout, with more than 1 KiB in each second.
        var uploads = string.Concat(Enumerable.Range(1, 40).Select(i =>
            $"<Upload><Key>app.zip</Key><UploadId>upload-{i}</UploadId><Initiated>2026-12-01T10:00:00.000Z</Initiated></Upload>"));
        Proxy.AddRule(FaultRule.RespondWithXml($"<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>{uploads}</ListMultipartUploadsResult>")
            .Trickled(512, TimeSpan.FromMilliseconds(200)).ForMethod("GET").WithQueryParameter("uploads"));

        var listed = await Client(maxRetries: 0, idleSeconds: 1).ListMultipartUploadsAsync(_store.Bucket, "app.zip");

        Assert.Equal(40, listed.Count);
    }

    [Fact]
    public async Task Trickling_answer_fails_within_the_idle_timeouts_saying_how_little_arrived()
    {
        // A byte every 100 ms: never a second without a byte, never 1 KiB in one.
        Proxy.AddRule(FaultRule.TrickleResponse(1, TimeSpan.FromMilliseconds(100)).ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 1, idleSeconds: 1).UploadFileAsync(request));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.Equal((ObsErrorKind.IdleTimeout, "InitiateMultipartUpload"), (error.Kind, error.Operation));
        Assert.Matches("only [0-9]+ bytes arrived in 1 s \\(less than the 1 KiB that count as progress\\) while reading the answer", error.Message);
        Assert.Contains("attempt 2 of 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("raise IdleTimeout (seconds) or MaxRetries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_skew_without_a_date_fails_at_once_saying_to_set_the_clock()
    {
        Proxy.AddRule(FaultRule.RespondWithError(403, "RequestTimeTooSkewed"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal("RequestTimeTooSkewed", error.ErrorCode);
        Assert.Contains("no Date header to correct it from: set this machine's clock", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("corrected", error.Message, StringComparison.Ordinal);
        Assert.Single(await _store.SettledRequestsAsync(), r => r.IsInitiate());
    }

    /// <summary>Starts an upload whose part 4 is refused, leaving its checkpoint and parts 1 to 3.</summary>
    private async Task<UploadFileRequest> FailedHalfWayAsync()
    {
        var request = NewRequest();
        Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "4"));
        await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));
        Proxy.ClearRules();
        return request;
    }

    /// <summary>A rule that answers 200 with an XML document made for each request from its sequence number.</summary>
    private static FaultRule RespondPerRequest(Func<long, string> xml) => FaultRule.Respond(200, ResponseBody.PerRequest(xml), "application/xml");

    private ObsClient Client(int maxRetries = ObsClientOptions.DefaultMaxRetries, int idleSeconds = 30) => _store.Client(options =>
    {
        options.Observer = _events;
        options.MaxRetries = maxRetries;
        options.IdleTimeout = TimeSpan.FromSeconds(idleSeconds);
    });

    private UploadFileRequest NewRequest(long size = FileSize) =>
        new(_store.Bucket, LocalObjectStore.UniqueKey("hostile.bin"), _files.Create("hostile.bin", size, seed: 5))
        {
            PartSize = PartSize,
            TaskNum = 1,
            EnableCheckpoint = true,
            CheckpointFile = Path.Combine(_files.Root, "checkpoints", "hostile.json"),
        };
}
