using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// The object is exactly the file or nothing: a file that changes while it is uploaded never completes (it fails with
/// <see cref="ObsErrorKind.FileChanged"/>, keeping the checkpoint), and a resume re-hashes the parts it keeps instead
/// of trusting the file's time, so a silently changed file re-sends exactly the changed parts.
/// </summary>
public sealed class FileIdentityTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const int PartCount = 12;
    private readonly TestFiles _files = new();
    private readonly RecordingObserver _events = new();
    private ProxiedStore _store = null!;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task File_rewritten_in_place_with_the_same_size_fails_before_complete_and_keeps_the_checkpoint()
    {
        var request = NewRequest(checkpoint: true);
        var error = await UploadChangingTheFileAsync(request, path => Rewrite(path, offset: 5 * PartSize));

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Contains(request.UploadFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("run the build again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _store.SettledRequestsAsync(), r => r.IsComplete());
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
        Assert.True(File.Exists(request.CheckpointFile));
        Assert.True(Assert.Single(_events.Of<FileFailedEvent>()).Resumable);

        var result = await _store.Client().UploadFileAsync(request);

        Assert.True(result.Resumed);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Fact]
    public async Task File_rewritten_with_its_time_put_back_after_a_part_was_sent_never_completes()
    {
        var request = NewRequest(checkpoint: false);
        request.TaskNum = 1;
        _store.Proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("PUT").WithQueryParameter("partNumber", "3").First(1));

        var error = await UploadChangingTheFileAsync(request, path =>
        {
            var time = File.GetLastWriteTimeUtc(path);
            Rewrite(path, offset: 3);
            File.SetLastWriteTimeUtc(path, time);
        }, changeOn: e => e is RequestRetriedEvent { PartNumber: 3 });

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.DoesNotContain(await _store.SettledRequestsAsync(), r => r.IsComplete());
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task File_whose_permissions_change_during_the_upload_still_completes()
    {
        var request = NewRequest(checkpoint: false);
        request.TaskNum = 1;
        _store.Proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("PUT").WithQueryParameter("partNumber", "3").First(1));
        var observer = new ChangingObserver(_events, e => e is RequestRetriedEvent { PartNumber: 3 },
            () => File.SetUnixFileMode(request.UploadFile, File.GetUnixFileMode(request.UploadFile) | UnixFileMode.UserExecute));

        await _store.Client(options => options.Observer = observer).UploadFileAsync(request);

        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Fact]
    public async Task File_cut_short_during_the_upload_is_a_changed_file_not_a_network_error()
    {
        var request = NewRequest(checkpoint: false);

        var error = await UploadChangingTheFileAsync(request, path => File.WriteAllBytes(path, new byte[PartSize]));

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Contains("shorter", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task File_grown_during_the_upload_is_a_changed_file()
    {
        var request = NewRequest(checkpoint: false);

        var error = await UploadChangingTheFileAsync(request, path => File.AppendAllText(path, "more"));

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Contains("written to while it was being uploaded", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _store.SettledRequestsAsync(), r => r.IsComplete());
    }

    [Fact]
    public async Task File_replaced_by_another_during_the_upload_fails_and_leaves_no_upload_without_checkpoint()
    {
        var request = NewRequest(checkpoint: false);
        var other = _files.Create("other.bin", PartCount * PartSize, seed: 99);

        var error = await UploadChangingTheFileAsync(request, path => File.Move(other, path, overwrite: true));

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Contains("another file took its place", error.Message, StringComparison.Ordinal);
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Small_file_changed_while_it_is_sent_is_refused_by_the_service_through_its_Content_MD5()
    {
        var request = NewRequest(checkpoint: false, size: PartSize / 2);

        var error = await UploadChangingTheFileAsync(request, path => Rewrite(path, offset: 10));

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, request.ObjectKey));
        var original = await File.ReadAllBytesAsync(Path.Combine(_files.Root, "original.bin"));
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(original)),
            Assert.Single(await _store.SettledRequestsAsync(), r => r.IsPutObject()).Header("Content-MD5"));
    }

    [Fact]
    public async Task Part_changed_after_it_was_hashed_is_refused_through_its_Content_MD5_and_reported_as_a_changed_file()
    {
        // One part at a time: parts are hashed a batch ahead, so part 5 is hashed with part 1 and sent after the
        // retry of part 1, which is when the file changes under it.
        var request = NewRequest(checkpoint: false);
        request.TaskNum = 1;
        _store.Proxy.AddRule(FaultRule.RespondWithError(503, "ServiceUnavailable").ForMethod("PUT").WithQueryParameter("partNumber", "1").First(1));

        var error = await UploadChangingTheFileAsync(request, path => Rewrite(path, offset: 4 * PartSize + 7), changeOn: e => e is RequestRetriedEvent);

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Contains("differ from what was read", error.Message, StringComparison.Ordinal);
        var requests = await _store.SettledRequestsAsync();
        Assert.Single(requests, r => r.IsUploadPart() && r.PathAndQuery.Contains("partNumber=5&", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.IsComplete());
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Part_changed_after_it_was_hashed_and_stored_by_a_server_that_ignores_Content_MD5_is_a_changed_file()
    {
        var request = NewRequest(checkpoint: false);
        request.TaskNum = 1;
        var changedAt = 4 * PartSize + 7;
        var changed = await File.ReadAllBytesAsync(request.UploadFile);
        changed[changedAt] ^= 0xFF;
        var storedMd5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(changed.AsSpan((int)(4 * PartSize), (int)PartSize)));
        _store.Proxy.AddRule(FaultRule.RespondWithError(503, "ServiceUnavailable").ForMethod("PUT").WithQueryParameter("partNumber", "1").First(1));
        // What a server that does not check Content-MD5 answers: success, and the MD5 of the bytes it got.
        _store.Proxy.AddRule(FaultRule.RewriteResponse(ResponseEdit.SetStatus(200), ResponseEdit.SetHeader("ETag", $"\"{storedMd5}\""),
            ResponseEdit.ReplaceBody(ResponseBody.Empty)).ForMethod("PUT").WithQueryParameter("partNumber", "5"));

        var error = await UploadChangingTheFileAsync(request, path => Rewrite(path, changedAt), changeOn: e => e is RequestRetriedEvent);

        Assert.Equal(ObsErrorKind.FileChanged, error.Kind);
        Assert.Single(await _store.SettledRequestsAsync(), r => r.IsUploadPart() && r.PathAndQuery.Contains("partNumber=5&", StringComparison.Ordinal));
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Small_file_rewritten_after_it_was_hashed_ahead_with_others_is_uploaded_as_it_is_when_its_turn_comes()
    {
        // One request and one file at work at a time (a file waiting for the listing that confirms its batch lets the
        // next one start): the first upload hashes all eight ahead; the eighth changes when the first is done (its batch
        // of four listed), before the eighth starts.
        var requests = Enumerable.Range(0, 8).Select(index =>
            new UploadFileRequest(_store.Bucket, LocalObjectStore.UniqueKey($"small-{index}.bin"), _files.Create($"small-{index}.bin", 1000 + index, seed: index))
            {
                PartSize = PartSize,
            }).ToList();
        var observer = new ChangingObserver(_events, e => e is FileFinishedEvent, () => File.WriteAllBytes(requests[7].UploadFile, new byte[3000]));

        var outcomes = await _store.Client(options => options.Observer = observer).UploadFilesAsync(requests, taskNum: 1);

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, outcome.Error?.Message));
        foreach (var request in requests)
        {
            await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        }
    }

    [Fact]
    public async Task Resume_after_a_silent_change_with_the_time_restored_resends_exactly_the_changed_part()
    {
        var request = NewRequest(checkpoint: true);
        _store.Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "8"));
        request.TaskNum = 1;
        await Assert.ThrowsAsync<ObsException>(() => _store.Client().UploadFileAsync(request));
        _store.Proxy.ClearRules();
        var time = File.GetLastWriteTimeUtc(request.UploadFile);
        Rewrite(request.UploadFile, offset: 2 * PartSize + 3);
        File.SetLastWriteTimeUtc(request.UploadFile, time);

        var result = await _store.Client(options => options.Observer = _events).UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.Equal(6, result.PartsReused);
        Assert.Equal(1, _events.Of<FileStartedEvent>()[^1].PartsRejected);
        Assert.Equal(PartCount - 6, result.PartsUploaded);
        Assert.Equal((PartCount - 6) * PartSize, result.BytesSent);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Equal(ProxiedStore.MultipartETag(request.UploadFile, PartSize), result.ETag);
    }

    /// <summary>Uploads <paramref name="request"/>, changing the file on the first event <paramref name="changeOn"/>
    /// picks: by default as soon as the engine has opened and planned it.</summary>
    private async Task<ObsException> UploadChangingTheFileAsync(UploadFileRequest request, Action<string> change, Func<UploadEvent, bool>? changeOn = null)
    {
        File.Copy(request.UploadFile, Path.Combine(_files.Root, "original.bin"), overwrite: true);
        var observer = new ChangingObserver(_events, changeOn ?? (e => e is FileStartedEvent), () => change(request.UploadFile));
        var client = _store.Client(options => options.Observer = observer);
        return await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));
    }

    /// <summary>Flips one byte in place: same size, new content, new last write time.</summary>
    private static void Rewrite(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0xFF));
    }

    private UploadFileRequest NewRequest(bool checkpoint, long size = PartCount * PartSize) =>
        new(_store.Bucket, LocalObjectStore.UniqueKey("changing.bin"), _files.Create("changing.bin", size, seed: 12))
        {
            PartSize = PartSize,
            TaskNum = 2,
            EnableCheckpoint = checkpoint,
            CheckpointFile = Path.Combine(_files.Root, "checkpoints", "changing.json"),
        };

    /// <summary>Records events and changes the file once, on the first event <paramref name="changeOn"/> picks.</summary>
    private sealed class ChangingObserver(RecordingObserver events, Func<UploadEvent, bool> changeOn, Action change) : IUploadObserver
    {
        private int _changed;

        public void OnEvent(UploadEvent uploadEvent)
        {
            events.OnEvent(uploadEvent);
            if (changeOn(uploadEvent) && Interlocked.Exchange(ref _changed, 1) == 0)
            {
                change();
            }
        }
    }
}
