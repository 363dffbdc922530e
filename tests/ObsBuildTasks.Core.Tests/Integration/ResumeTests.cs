using System.Text.Json;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>An upload stopped half way continues where it stopped, with the server as the record.</summary>
public sealed class ResumeTests : IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const int PartCount = 120;
    private const int TaskNum = 4;
    private readonly TestFiles _files = new();
    private readonly RecordingObserver _events = new();
    private readonly List<ObsClient> _clients = [];

    [Fact]
    public async Task Cancelled_upload_resumes_reusing_the_finished_parts()
    {
        var (store, client, request) = await ArrangeAsync();
        var transferredAtCancel = await CancelHalfWayAsync(client, request);

        var result = await client.UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.True(result.PartsReused * PartSize >= transferredAtCancel - TaskNum * PartSize,
            $"{result.PartsReused} parts kept, {transferredAtCancel} bytes were on the server at cancel");
        Assert.Equal((PartCount - result.PartsReused) * PartSize, result.BytesSent);
        await AssertStoredEqualsFileAsync(store, request);
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Fact]
    public async Task Checkpoint_holds_the_upload_but_no_secret()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);

        var text = await File.ReadAllTextAsync(request.CheckpointFile!);

        Assert.Contains("\"uploadId\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(store.SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("security", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Rebuilt_artifact_with_identical_bytes_and_a_new_time_still_resumes()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        File.SetLastWriteTimeUtc(request.UploadFile, DateTime.UtcNow.AddHours(1));

        var result = await client.UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.True(result.PartsReused > 0);
        await AssertStoredEqualsFileAsync(store, request);
    }

    [Fact]
    public async Task Same_size_with_changed_bytes_resends_only_the_changed_parts()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        var done = RecordedParts(request.CheckpointFile!);
        var changedPart = done.Min();
        await using (var stream = new FileStream(request.UploadFile, FileMode.Open, FileAccess.Write))
        {
            stream.Position = (changedPart - 1) * PartSize + 10;
            stream.WriteByte((byte)(0xFF ^ changedPart));
        }

        var result = await client.UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.True(result.PartsReused >= done.Count - 1);
        Assert.Equal(PartCount, result.PartsReused + result.PartsUploaded);
        Assert.Equal(1, _events.Of<FileStartedEvent>()[^1].PartsRejected);
        await AssertStoredEqualsFileAsync(store, request);
    }

    [Fact]
    public async Task Upload_aborted_on_the_server_between_runs_starts_afresh()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        await client.AbortMultipartUploadAsync(store.Bucket, request.ObjectKey, RecordedUploadId(request.CheckpointFile!));

        var result = await client.UploadFileAsync(request);

        Assert.False(result.Resumed);
        Assert.Equal(0, result.PartsReused);
        Assert.Equal(PartCount, result.PartsUploaded);
        await AssertStoredEqualsFileAsync(store, request);
    }

    [Fact]
    public async Task Cut_short_checkpoint_starts_afresh_with_a_warning_and_aborts_the_stale_upload()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        var staleUploadId = RecordedUploadId(request.CheckpointFile!);
        var text = await File.ReadAllTextAsync(request.CheckpointFile!);
        await File.WriteAllTextAsync(request.CheckpointFile!, text[..(text.Length / 2)]);

        var result = await client.UploadFileAsync(request);

        Assert.False(result.Resumed);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.CheckpointUnusable);
        Assert.Empty(await client.ListMultipartUploadsAsync(store.Bucket, request.ObjectKey));
        await AssertStoredEqualsFileAsync(store, request);
    }

    [Fact]
    public async Task Upload_aborted_elsewhere_during_the_run_fails_saying_so_and_keeps_no_checkpoint()
    {
        var (store, client, request) = await ArrangeAsync();
        var aborted = false;
        request.ProgressCallback = progress =>
        {
            if (!aborted && progress.TransferredBytes * 4 >= progress.TotalBytes)
            {
                aborted = true;
                client.AbortMultipartUploadAsync(store.Bucket, request.ObjectKey, RecordedUploadId(request.CheckpointFile!)).GetAwaiter().GetResult();
            }
        };

        var error = await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));

        Assert.Equal("NoSuchUpload", error.ErrorCode);
        Assert.Contains("no longer exists on the server", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(request.CheckpointFile));
        Assert.Empty(await client.ListMultipartUploadsAsync(store.Bucket, request.ObjectKey));
    }

    [Fact]
    public async Task Garbage_checkpoint_names_the_upload_it_may_have_recorded_and_aborts_nothing()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        var leftUploadId = RecordedUploadId(request.CheckpointFile!);
        await File.WriteAllTextAsync(request.CheckpointFile!, "\0\0 not json");

        var result = await client.UploadFileAsync(request);

        Assert.False(result.Resumed);
        await AssertStoredEqualsFileAsync(store, request);
        Assert.Equal(leftUploadId, Assert.Single(await client.ListMultipartUploadsAsync(store.Bucket, request.ObjectKey)).UploadId);
        Assert.Contains(_events.Of<UploadWarningEvent>(), warning => warning.Warning == UploadWarning.CheckpointUnusable
            && warning.Message.Contains(leftUploadId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Garbage_checkpoint_leaves_another_runs_upload_of_the_key_to_resume()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        var otherRun = new UploadFileRequest(store.Bucket, request.ObjectKey, request.UploadFile)
        {
            PartSize = PartSize,
            EnableCheckpoint = true,
            CheckpointFile = Path.Combine(_files.Root, "other-project", "big.json"),
        };
        otherRun.Metadata["build"] = "1";
        Directory.CreateDirectory(Path.GetDirectoryName(otherRun.CheckpointFile)!);
        await File.WriteAllTextAsync(otherRun.CheckpointFile, "{\"version\": 2, \"endpoint\": \"http");

        await client.UploadFileAsync(otherRun);
        var resumed = await client.UploadFileAsync(request);

        Assert.True(resumed.Resumed);
        Assert.True(resumed.PartsReused > 0);
        await AssertStoredEqualsFileAsync(store, request);
    }

    [Fact]
    public async Task Changed_metadata_does_not_resume_the_old_upload()
    {
        var (store, client, request) = await ArrangeAsync();
        await CancelHalfWayAsync(client, request);
        request.Metadata["build"] = "2";

        var result = await client.UploadFileAsync(request);

        Assert.False(result.Resumed);
        Assert.Equal("2", (await client.HeadObjectAsync(store.Bucket, request.ObjectKey))!.Metadata["build"]);
        Assert.Empty(await client.ListMultipartUploadsAsync(store.Bucket, request.ObjectKey));
    }

    public void Dispose()
    {
        _clients.ForEach(client => client.Dispose());
        _files.Dispose();
    }

    private async Task<(LocalObjectStore Store, ObsClient Client, UploadFileRequest Request)> ArrangeAsync()
    {
        var store = await LocalObjectStore.GetAsync();
        var options = store.ClientOptions();
        options.Observer = _events;
        var path = _files.Create("big.bin", PartCount * PartSize, seed: 7);
        var request = new UploadFileRequest(store.Bucket, LocalObjectStore.UniqueKey("big.bin"), path)
        {
            PartSize = PartSize,
            TaskNum = TaskNum,
            EnableCheckpoint = true,
            CheckpointFile = Path.Combine(_files.Root, "checkpoints", "big.json"),
            ProgressInterval = TimeSpan.FromMilliseconds(5),
        };
        request.Metadata["build"] = "1";
        var client = new ObsClient(options);
        _clients.Add(client);
        return (store, client, request);
    }

    /// <summary>Starts the upload and cancels it once half the bytes are on the server; returns how many were.</summary>
    private static async Task<long> CancelHalfWayAsync(ObsClient client, UploadFileRequest request)
    {
        using var cancellation = new CancellationTokenSource();
        long atCancel = 0;
        request.ProgressCallback = progress =>
        {
            if (progress.TransferredBytes * 2 >= progress.TotalBytes && !cancellation.IsCancellationRequested)
            {
                atCancel = progress.TransferredBytes;
                cancellation.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.UploadFileAsync(request, cancellation.Token));
        request.ProgressCallback = null;
        Assert.True(File.Exists(request.CheckpointFile));
        Assert.True(atCancel > 0);
        return atCancel;
    }

    private static async Task AssertStoredEqualsFileAsync(LocalObjectStore store, UploadFileRequest request) =>
        Assert.Equal((TestFiles.Md5(request.UploadFile), request.UploadFileSize()), await store.Reader.HashObjectAsync(store.Bucket, request.ObjectKey));

    private static List<int> RecordedParts(string checkpoint) =>
        ReadCheckpoint(checkpoint).GetProperty("parts").EnumerateArray().Select(part => part.GetProperty("partNumber").GetInt32()).ToList();

    private static string RecordedUploadId(string checkpoint) => ReadCheckpoint(checkpoint).GetProperty("uploadId").GetString()!;

    private static JsonElement ReadCheckpoint(string checkpoint) => JsonDocument.Parse(File.ReadAllText(checkpoint)).RootElement;
}

internal static class UploadFileRequestExtensions
{
    public static long UploadFileSize(this UploadFileRequest request) => new FileInfo(request.UploadFile).Length;
}
