using System.Globalization;
using System.Net;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// Uploads through a fault-injecting proxy: transient failures are retried until the stored object equals the file,
/// definitive ones fail at once with what the user needs to know.
/// </summary>
public sealed class FaultToleranceTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const int PartCount = 30;
    private const long FileSize = (PartCount - 1) * PartSize + PartSize / 2;
    private const int FaultedAttempts = 2;
    private readonly TestFiles _files = new();
    private ProxiedStore _store = null!;

    private FaultInjectingProxy Proxy => _store.Proxy;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Connections_cut_mid_body_are_sent_again()
    {
        FaultEveryNthPart(3, _ => FaultRule.CutRequestBody(50_000));
        var request = NewRequest();

        var result = await _store.Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        var requests = await _store.SettledRequestsAsync();
        var cuts = requests.Count(r => r.Fault is CutRequestBodyFault);
        Assert.Equal(PartCount / 3 * FaultedAttempts, cuts);
        Assert.True(requests.Count(r => r.IsUploadPart()) >= PartCount + cuts);
        Assert.Equal(PartCount, result.PartsUploaded);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
    }

    [Fact]
    public async Task Errors_500_and_503_on_initiate_parts_and_complete_are_retried()
    {
        foreach (var operation in new[] { "uploads", "uploadId" })
        {
            Proxy.AddRule(FaultRule.RespondWithError(500, "InternalError").ForMethod("POST").WithQueryParameter(operation).First(1));
            Proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("POST").WithQueryParameter(operation).First(1));
        }

        FaultEveryNthPart(3, part => part % 2 == 0 ? FaultRule.RespondWithError(500, "InternalError") : FaultRule.RespondWithError(503, "SlowDown"));
        var request = NewRequest();

        var result = await _store.Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        var requests = await _store.SettledRequestsAsync();
        foreach (var isOperation in new Func<ProxiedRequest, bool>[] { r => r.IsInitiate(), r => r.IsUploadPart(), r => r.IsComplete() })
        {
            Assert.Contains(requests, r => isOperation(r) && r.GotInjectedError("InternalError"));
            Assert.Contains(requests, r => isOperation(r) && r.GotInjectedError("SlowDown"));
        }
    }

    [Fact]
    public async Task Errors_500_and_503_on_list_parts_do_not_stop_a_resume()
    {
        var request = NewRequest(checkpoint: true);
        Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "5"));
        await Assert.ThrowsAsync<ObsException>(() => _store.Client().UploadFileAsync(request));
        Proxy.ClearRules();
        Proxy.AddRule(FaultRule.RespondWithError(500, "InternalError").ForMethod("GET").WithQueryParameter("uploadId").First(1));
        Proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("GET").WithQueryParameter("uploadId").First(1));
        FaultEveryNthPart(4, _ => FaultRule.RespondWithError(503, "SlowDown"));

        var result = await _store.Client().UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.True(result.PartsReused > 0);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        var requests = await _store.SettledRequestsAsync();
        Assert.Equal(2, requests.Count(r => r.IsListParts() && r.FaultApplied));
        Assert.Contains(requests, r => r.IsListParts() && r.RelayedStatus == 200);
    }

    [Fact]
    public async Task Responses_slower_than_the_idle_timeout_are_abandoned_and_sent_again()
    {
        Proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromSeconds(5)).ForMethod("PUT").WithQueryParameter("partNumber").First(2));
        var request = NewRequest();
        var client = _store.Client(options => options.IdleTimeout = TimeSpan.FromSeconds(1));

        var result = await client.UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        var requests = await _store.SettledRequestsAsync();
        var delayed = requests.Where(r => r.Fault is DelayResponseFault).ToList();
        Assert.Equal(2, delayed.Count);
        // The client gave up before the proxy let the answers through, and sent those parts again.
        Assert.All(delayed, r => Assert.Null(r.RelayedStatus));
        Assert.True(requests.Count(r => r.IsUploadPart()) >= PartCount + 2);
        Assert.All(delayed, slow => Assert.Contains(requests, r => r.Sequence > slow.Sequence && r.PathAndQuery == slow.PathAndQuery && r.RelayedStatus == 200));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Lost_answer_to_complete_still_reports_the_stored_object(bool retryFindsNoSuchUpload)
    {
        Proxy.AddRule(FaultRule.DropResponse().ForMethod("POST").WithQueryParameter("uploadId").First(1));
        if (retryFindsNoSuchUpload)
        {
            // What OBS and S3 answer when Complete is repeated after it succeeded (this store answers 200 again).
            Proxy.AddRule(FaultRule.RespondWithError(404, "NoSuchUpload").ForMethod("POST").WithQueryParameter("uploadId").First(1));
        }

        var request = NewRequest();
        var client = _store.Client();

        var result = await client.UploadFileAsync(request);

        var expected = ProxiedStore.MultipartETag(request.UploadFile, PartSize);
        Assert.Equal(expected, result.ETag);
        Assert.Equal(expected, (await _store.DirectClient().HeadObjectAsync(_store.Bucket, request.ObjectKey))!.ETag);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        var requests = await _store.SettledRequestsAsync();
        var completes = requests.Where(r => r.IsComplete()).ToList();
        Assert.True(completes.Count >= 2, "Complete was not sent again");
        Assert.Equal(200, completes[0].UpstreamStatus);
        Assert.Null(completes[0].RelayedStatus);
        if (retryFindsNoSuchUpload)
        {
            // The object itself tells whether the lost Complete succeeded.
            Assert.Contains(requests, r => r.Method == "HEAD" && r.Sequence > completes[1].Sequence && r.RelayedStatus == 200);
        }

        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Progress_never_goes_back_nor_passes_the_total_while_parts_are_sent_again()
    {
        FaultEveryNthPart(3, _ => FaultRule.CutRequestBody(50_000));
        var reports = new List<UploadProgress>();
        var request = NewRequest();
        request.ProgressInterval = TimeSpan.FromMilliseconds(5);
        request.ProgressCallback = progress =>
        {
            lock (reports)
            {
                reports.Add(progress);
            }
        };

        var result = await _store.Client().UploadFileAsync(request);

        Assert.True(reports.Count >= 2, $"{reports.Count} progress reports");
        Assert.All(reports, report => Assert.Equal(FileSize, report.TotalBytes));
        Assert.All(reports, report => Assert.InRange(report.TransferredBytes, 0, FileSize));
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.Second.TransferredBytes >= pair.First.TransferredBytes,
            $"progress went back from {pair.First.TransferredBytes} to {pair.Second.TransferredBytes}"));
        Assert.Equal(FileSize, reports[^1].TransferredBytes);
        Assert.Contains(await _store.SettledRequestsAsync(), r => r.Fault is CutRequestBodyFault);
        Assert.Equal(PartCount, result.PartsUploaded);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Theory]
    [InlineData(SignatureType.V4, FileSize, "InitiateMultipartUpload")]
    [InlineData(SignatureType.V2, FileSize, "InitiateMultipartUpload")]
    [InlineData(SignatureType.V4, 1000, "PutObject")]
    public async Task Wrong_secret_key_fails_at_once_saying_what_to_fix(SignatureType signature, long size, string operation)
    {
        var request = NewRequest(size: size);
        var client = _store.Client(options => options.SecretAccessKey = "not-the-secret", signature);

        var error = await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(operation, error.Operation);
        Assert.Contains("The secret access key does not match the access key id", error.Message, StringComparison.Ordinal);
        // One refused request, and the unauthenticated protocol probe that checks the configured signature suits the service.
        var requests = await _store.SettledRequestsAsync();
        Assert.Single(requests, r => r.Method != "HEAD");
        Assert.Single(requests, r => r.Method == "HEAD" && r.PathAndQuery.EndsWith("?apiversion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Definitive_failure_without_checkpoint_aborts_the_upload_and_says_what_failed()
    {
        Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "5"));
        var request = NewRequest();

        var error = await Assert.ThrowsAsync<ObsException>(() => _store.Client().UploadFileAsync(request));

        var requests = await _store.SettledRequestsAsync();
        var denied = Assert.Single(requests, r => r.FaultApplied);
        Assert.Equal("UploadPart", error.Operation);
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal($"proxy-{denied.Sequence}", error.RequestId);
        Assert.Contains(requests, r => r.Method == "DELETE" && r.HasQueryParameter("uploadId") && r.RelayedStatus is >= 200 and < 300);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Definitive_failure_with_checkpoint_keeps_the_upload_and_the_next_call_resumes(bool defaultCheckpointOfALongName)
    {
        Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "5"));
        var request = defaultCheckpointOfALongName ? NewRequest(new string('n', 240) + ".nupkg", checkpoint: true) : NewRequest(checkpoint: true);
        if (defaultCheckpointOfALongName)
        {
            // Beside the file, where "{file}.obs-checkpoint.json" and its ".lock" are longer than a file name may be.
            request.CheckpointFile = null;
        }

        string[] Checkpoints() => Directory.GetFiles(_files.Root, "*.json", SearchOption.AllDirectories);

        var error = await Assert.ThrowsAsync<ObsException>(() => _store.Client().UploadFileAsync(request));

        Assert.Equal("AccessDenied", error.ErrorCode);
        var checkpoint = Assert.Single(Checkpoints());
        var left = Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.Contains(left.UploadId, await File.ReadAllTextAsync(checkpoint), StringComparison.Ordinal);

        Proxy.ClearRules();
        var result = await _store.Client().UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.True(result.PartsReused > 0);
        Assert.Equal(PartCount, result.PartsReused + result.PartsUploaded);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Empty(Checkpoints());
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Clock_skew_is_corrected_from_the_servers_date_both_ways()
    {
        var future = DateTimeOffset.UtcNow.AddHours(1);
        Proxy.AddRule(FaultRule.RespondWithError(403, "RequestTimeTooSkewed").First(1)
            .WithResponseHeader("Date", future.ToString("r", CultureInfo.InvariantCulture)));
        var request = NewRequest();

        var result = await _store.Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
        var requests = await _store.SettledRequestsAsync();
        // 1: the proxy says the clock is an hour behind; 2: signed an hour ahead, the store refuses it with its own
        // Date; 3: signed with the store's time again.
        Assert.True(requests[0].GotInjectedError("RequestTimeTooSkewed"));
        Assert.Equal(403, requests[1].UpstreamStatus);
        Assert.InRange(SignedAt(requests[1]) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(70));
        Assert.Equal(200, requests[2].UpstreamStatus);
        Assert.InRange(SignedAt(requests[2]) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(-5), TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task TaskNum_caps_the_requests_in_flight_for_the_whole_call(int fileCount)
    {
        const int TaskNum = 3;
        Proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMilliseconds(200)).ForMethod("PUT").WithQueryParameter("partNumber"));
        var requests = Enumerable.Range(1, fileCount).Select(index => NewRequest($"file{index}.bin", size: 8 * PartSize, taskNum: TaskNum)).ToList();
        var client = _store.Client();

        if (fileCount == 1)
        {
            await client.UploadFileAsync(requests[0]);
        }
        else
        {
            // Every file may use all TaskNum slots on its own, yet together they share the same TaskNum.
            var outcomes = await client.UploadFilesAsync(requests, TaskNum);
            Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, outcome.Error?.Message));
        }

        foreach (var request in requests)
        {
            await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        }

        await _store.SettledRequestsAsync();
        Assert.Equal(TaskNum, Proxy.MaxConcurrentRequests);
    }

    /// <summary>
    /// Gives the first <see cref="FaultedAttempts"/> attempts of every <paramref name="interval"/>-th part the fault of
    /// <paramref name="rule"/>: a share of the parts fails, and no part fails more often than the client retries
    /// (a fraction of all requests could, by chance, hit the same part six times running).
    /// </summary>
    private void FaultEveryNthPart(int interval, Func<int, FaultRule> rule)
    {
        for (var part = interval; part <= PartCount; part += interval)
        {
            Proxy.AddRule(rule(part).ForMethod("PUT").WithQueryParameter("partNumber", part.ToString(CultureInfo.InvariantCulture)).First(FaultedAttempts));
        }
    }

    private UploadFileRequest NewRequest(string name = "artifact.bin", long size = FileSize, int taskNum = 4, bool checkpoint = false) =>
        new(_store.Bucket, LocalObjectStore.UniqueKey(name), _files.Create(name, size, seed: name.Length + (int)(size % 1000)))
        {
            PartSize = PartSize,
            TaskNum = taskNum,
            EnableCheckpoint = checkpoint,
            CheckpointFile = checkpoint ? Path.Combine(_files.Root, "checkpoints", name + ".json") : null,
        };

    /// <summary>When the request says it was signed (SigV4's <c>x-amz-date</c>).</summary>
    private static DateTimeOffset SignedAt(ProxiedRequest request) =>
        DateTimeOffset.ParseExact(request.Header("x-amz-date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
}
