using System.Text.Json.Nodes;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>No run leaves a billed upload that nothing names: a retried Initiate whose first answer was lost aborts the
/// upload that answer was for, and a checkpoint is trusted only for an upload the server lists for its key; an upload
/// it can no longer name is named in a warning, never aborted on a guess.</summary>
public sealed class OrphanTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const string ErrorDocument = "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>";
    private static readonly FaultRule PartTwoRefused = FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "2");
    private readonly TestFiles _files = new();
    private readonly RecordingObserver _events = new();
    private ProxiedStore _store = null!;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Lost_answer_to_initiate_leaves_no_second_upload(bool checkpoint)
    {
        _store.Proxy.AddRule(FaultRule.DropResponse().ForMethod("POST").WithQueryParameter("uploads").First(1));
        var request = NewRequest("lost-initiate.bin", checkpoint);

        var result = await Client().UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(2, (await _store.SettledRequestsAsync()).Count(r => r.IsInitiate()));
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.DuplicateUploadAborted);
        Assert.Equal(result.PartCount, result.PartsUploaded);
    }

    [Fact]
    public async Task Initiate_whose_every_answer_is_lost_fails_and_aborts_what_it_started()
    {
        _store.Proxy.AddRule(FaultRule.DropResponse().ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest("always-lost.bin", checkpoint: true);

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 2).UploadFileAsync(request));

        Assert.Equal(ObsErrorKind.Transport, error.Kind);
        Assert.Equal(3, (await _store.SettledRequestsAsync()).Count(r => r.IsInitiate()));
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Theory]
    [InlineData(false, ObsErrorKind.Transport)]
    [InlineData(true, ObsErrorKind.MalformedAnswer)]
    public async Task Initiate_answer_lost_without_retries_fails_and_aborts_what_it_started(bool cutBody, ObsErrorKind kind)
    {
        _store.Proxy.AddRule((cutBody ? FaultRule.RewriteResponse(ResponseEdit.TruncateBody(60)) : FaultRule.DropResponse())
            .ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest("lost-once.bin", checkpoint: true);

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 0).UploadFileAsync(request));

        Assert.Equal(kind, error.Kind);
        Assert.Single(await _store.SettledRequestsAsync(), r => r.IsInitiate());
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.DuplicateUploadAborted);
    }

    [Fact]
    public async Task Cancelled_while_the_answer_to_initiate_is_on_its_way_leaves_no_upload()
    {
        _store.Proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(10)).ForMethod("POST").WithQueryParameter("uploads"));
        var request = NewRequest("cancelled-initiate.bin", checkpoint: false);
        using var cancellation = new CancellationTokenSource();
        var upload = Client().UploadFileAsync(request, cancellation.Token);
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while ((await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey)).Count == 0)
        {
            await poll.WaitForNextTickAsync(patience.Token);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Cancelled_before_its_initiate_is_sent_aborts_nothing()
    {
        var other = NewRequest("shared.bin", checkpoint: true);
        _store.Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "1"));
        await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(other));
        _store.Proxy.ClearRules();
        var othersUploadId = Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, other.ObjectKey)).UploadId;
        var requestsBefore = (await _store.SettledRequestsAsync()).Count;
        var ours = NewRequest("ours.bin", checkpoint: false);
        ours.ObjectKey = other.ObjectKey;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _store.Client(options => options.Signature = SignatureType.V4).UploadFileAsync(ours, cancelled.Token));

        Assert.Equal(requestsBefore, (await _store.SettledRequestsAsync()).Count);
        Assert.Equal(othersUploadId, Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, other.ObjectKey)).UploadId);
    }

    [Fact]
    public async Task Checkpoint_naming_an_upload_of_another_key_is_not_trusted_and_the_keys_own_upload_is_named()
    {
        var request = NewRequest("victim.bin", checkpoint: true);
        var other = NewRequest("other.bin", checkpoint: true);
        _store.Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "2"));
        await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));
        await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(other));
        _store.Proxy.ClearRules();
        var otherUploadId = Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, other.ObjectKey)).UploadId;
        var ownUploadId = Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey)).UploadId;
        // A checkpoint edited (or mixed up) to name the other key's upload.
        await File.WriteAllTextAsync(request.CheckpointFile!, (await File.ReadAllTextAsync(request.CheckpointFile!)).Replace(ownUploadId, otherUploadId, StringComparison.Ordinal));

        var result = await Client().UploadFileAsync(request);

        Assert.False(result.Resumed);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.UploadGone
            && warning.Message.Contains(ownUploadId, StringComparison.Ordinal));
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ownUploadId, Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey)).UploadId);
        Assert.Equal(otherUploadId, Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, other.ObjectKey)).UploadId);
    }

    [Fact]
    public async Task Complete_that_never_arrived_for_bytes_the_object_already_holds_aborts_the_recorded_upload_next_run()
    {
        var request = NewRequest("complete-lost.bin", checkpoint: true);
        await _store.DirectClient().UploadFileAsync(request);
        await FailCompleteAsync(request);

        var result = await Client().UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Skipped_unchanged_file_aborts_the_upload_its_checkpoint_records(bool checkpointNameOverTheLimit)
    {
        var request = NewRequest("skipped.bin", checkpoint: true);
        if (checkpointNameOverTheLimit)
        {
            // Stored under a shortened name (SidecarName), which the skip must find too.
            request.CheckpointFile = Path.Combine(_files.Root, "checkpoints", new string('c', 300) + ".json");
        }

        await _store.DirectClient().UploadFileAsync(request);
        await FailCompleteAsync(request);
        request.SkipUnchanged = true;

        var result = await Client().UploadFileAsync(request);

        Assert.True(result.Skipped);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.False(File.Exists(ProxiedStore.StoredCheckpoint(request)));
    }

    [Fact]
    public async Task Recorded_upload_holding_parts_its_checkpoint_does_not_record_is_named_not_aborted()
    {
        var request = NewRequest("copied.bin", checkpoint: true);
        await _store.DirectClient().UploadFileAsync(request);
        var uploadId = await FailCompleteAsync(request);
        // An older copy of the checkpoint (a CI cache restored into two jobs): the server holds a part it does not record,
        // which a job resuming another copy may have added.
        var path = ProxiedStore.StoredCheckpoint(request);
        var document = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        document["parts"]!.AsArray().RemoveAt(0);
        await File.WriteAllTextAsync(path, document.ToJsonString());
        request.SkipUnchanged = true;

        var result = await Client().UploadFileAsync(request);

        Assert.True(result.Skipped);
        Assert.Equal(uploadId, Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey)).UploadId);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.AbortFailed
            && warning.Message.Contains($"{uploadId} that the checkpoint", StringComparison.Ordinal)
            && warning.Message.Contains("1 part(s) of it that the checkpoint does not record", StringComparison.Ordinal));
        await _store.DirectClient().AbortMultipartUploadAsync(_store.Bucket, request.ObjectKey, uploadId);
    }

    [Fact]
    public async Task Recorded_upload_that_cannot_be_aborted_is_named_and_kept_in_its_checkpoint_for_the_next_run()
    {
        var request = NewRequest("abort-refused.bin", checkpoint: true);
        await _store.DirectClient().UploadFileAsync(request);
        var uploadId = await FailCompleteAsync(request);
        _store.Proxy.AddRule(FaultRule.RespondWithError(503, "ServiceUnavailable").ForMethod("DELETE"));

        var result = await Client(maxRetries: 0).UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.AbortFailed
            && warning.Message.Contains(uploadId, StringComparison.Ordinal));
        Assert.True(File.Exists(request.CheckpointFile));
        _store.Proxy.ClearRules();
        await Client().UploadFileAsync(request);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Theory]
    [InlineData("uploads", ErrorDocument, ObsErrorKind.Service)]
    [InlineData("uploadId", ErrorDocument, ObsErrorKind.Service)]
    [InlineData("uploads", "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>", ObsErrorKind.MalformedAnswer)]
    [InlineData("uploadId", "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>", ObsErrorKind.MalformedAnswer)]
    public async Task Listing_answered_200_with_another_document_fails_and_keeps_the_checkpoint_and_its_upload(string listing, string answer,
        ObsErrorKind kind)
    {
        var request = NewRequest("listing-error.bin", checkpoint: true);
        var uploadId = await LeaveUploadAsync(request, PartTwoRefused);
        _store.Proxy.AddRule(FaultRule.RespondWithXml(answer).ForMethod("GET").WithQueryParameter(listing));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client(maxRetries: 0).UploadFileAsync(request));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(uploadId, await File.ReadAllTextAsync(request.CheckpointFile!), StringComparison.Ordinal);
        Assert.Equal(uploadId, Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey)).UploadId);
    }

    [Fact]
    public async Task Listing_that_leaves_out_the_recorded_upload_aborts_it_and_starts_over()
    {
        var request = NewRequest("left-out.bin", checkpoint: true);
        var uploadId = await LeaveUploadAsync(request, PartTwoRefused);
        _store.Proxy.AddRule(FaultRule.RespondWithXml("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>")
            .ForMethod("GET").WithQueryParameter("uploads"));

        var result = await Client().UploadFileAsync(request);

        Assert.False(result.Resumed);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.UploadGone
            && warning.Message.Contains(uploadId, StringComparison.Ordinal));
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.False(File.Exists(request.CheckpointFile));
    }

    private ObsClient Client(int maxRetries = ObsClientOptions.DefaultMaxRetries) => _store.Client(options =>
    {
        options.Observer = _events;
        options.MaxRetries = maxRetries;
    });

    /// <summary>Runs the upload once with its Complete answered 503 before it reaches the store (no retry), so that the
    /// checkpoint keeps the upload with Complete requested; returns the upload's id.</summary>
    private async Task<string> FailCompleteAsync(UploadFileRequest request)
    {
        var uploadId = await LeaveUploadAsync(request, FaultRule.RespondWithError(503, "SlowDown").ForMethod("POST").WithQueryParameter("uploadId"));
        Assert.Contains("\"completeRequested\": true", await File.ReadAllTextAsync(ProxiedStore.StoredCheckpoint(request)), StringComparison.Ordinal);
        return uploadId;
    }

    private Task<string> LeaveUploadAsync(UploadFileRequest request, FaultRule failure) => _store.LeaveUploadAsync(Client(maxRetries: 0), request, failure);

    private UploadFileRequest NewRequest(string name, bool checkpoint) =>
        new(_store.Bucket, LocalObjectStore.UniqueKey(name), _files.Create(name, 4 * PartSize + 1, seed: name.Length))
        {
            PartSize = PartSize,
            TaskNum = 1,
            EnableCheckpoint = checkpoint,
            CheckpointFile = Path.Combine(_files.Root, "checkpoints", name + ".json"),
        };
}
