using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>Credentials that may write objects but not list the bucket's unfinished uploads (a common least-privilege
/// policy) still resume from a checkpoint: the listing only double-checks the recorded upload, which ListParts of it for
/// its key shows as well.</summary>
public sealed class LeastPrivilegeTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private static readonly FaultRule PartTwoRefused = Denied("PUT", "partNumber", "2");
    private readonly TestFiles _files = new();
    private ProxiedStore _store = null!;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Checkpoint_resumes_when_the_credentials_may_not_list_unfinished_uploads()
    {
        var request = NewRequest();
        await _store.LeaveUploadAsync(Client(), request, PartTwoRefused);
        _store.Proxy.AddRule(Denied("GET", "uploads"));

        var result = await Client().UploadFileAsync(request);

        Assert.True(result.Resumed);
        Assert.Equal(1, result.PartsReused);
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        Assert.Empty(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey));
        Assert.False(File.Exists(request.CheckpointFile));
    }

    [Fact]
    public async Task Checkpoint_that_may_not_be_checked_at_all_fails_naming_the_permissions_and_keeps_its_upload()
    {
        var request = NewRequest();
        var uploadId = await _store.LeaveUploadAsync(Client(), request, PartTwoRefused);
        _store.Proxy.AddRule(Denied("GET", "uploads"));
        _store.Proxy.AddRule(Denied("GET", "uploadId"));

        var error = await Assert.ThrowsAsync<ObsException>(() => Client().UploadFileAsync(request));

        Assert.Equal(("ListParts", "AccessDenied"), (error.Operation, error.ErrorCode));
        Assert.Contains("ListMultipartUploadParts permission (and ListBucketMultipartUploads", error.Message, StringComparison.Ordinal);
        Assert.Contains($"abort upload {uploadId}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may write", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(request.CheckpointFile));
        Assert.Equal(uploadId, Assert.Single(await _store.DirectClient().ListMultipartUploadsAsync(_store.Bucket, request.ObjectKey)).UploadId);
    }

    private static FaultRule Denied(string method, string queryParameter, string? value = null) =>
        FaultRule.RespondWithError(403, "AccessDenied").ForMethod(method).WithQueryParameter(queryParameter, value);

    private ObsClient Client() => _store.Client(options => options.MaxRetries = 0);

    private UploadFileRequest NewRequest() =>
        new(_store.Bucket, LocalObjectStore.UniqueKey("least-privilege.bin"), _files.Create("least-privilege.bin", 3 * PartSize + 1, seed: 3))
        {
            PartSize = PartSize,
            TaskNum = 1,
            EnableCheckpoint = true,
            CheckpointFile = Path.Combine(_files.Root, "checkpoints", "least-privilege.json"),
        };
}
