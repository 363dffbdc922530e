using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary><see cref="UploadFileRequest.SkipUnchanged"/>: a file the store already holds is not sent again; a changed
/// one is.</summary>
public sealed class SkipUnchangedTests : IAsyncLifetime, IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const long SingleSize = 5000;
    private const long MultipartSize = 4 * PartSize + 99;
    private readonly TestFiles _files = new();
    private ProxiedStore _store = null!;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(SingleSize)]
    [InlineData(MultipartSize)]
    public async Task Unchanged_file_is_skipped_without_sending_it(long size)
    {
        var request = NewRequest(size);
        var first = await _store.DirectClient().UploadFileAsync(request);
        request.SkipUnchanged = true;

        var result = await _store.Client().UploadFileAsync(request);

        Assert.True(result.Skipped);
        Assert.Equal(first.ETag, result.ETag);
        Assert.Equal(0, result.PartsUploaded);
        Assert.Equal(0, result.BytesSent);
        var requests = await _store.SettledRequestsAsync();
        Assert.Equal(["HEAD"], requests.Select(r => r.Method));
        Assert.Equal(0, _store.Proxy.RequestBodyBytesForwarded);
    }

    [Theory]
    [InlineData(SingleSize)]
    [InlineData(MultipartSize)]
    public async Task Changed_file_of_the_same_size_is_uploaded(long size)
    {
        var request = NewRequest(size);
        await _store.DirectClient().UploadFileAsync(request);
        await using (var stream = new FileStream(request.UploadFile, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = size - 1;
            var last = stream.ReadByte();
            stream.Position = size - 1;
            stream.WriteByte((byte)(last ^ 0xFF));
        }

        request.SkipUnchanged = true;

        var result = await _store.Client().UploadFileAsync(request);

        Assert.False(result.Skipped);
        Assert.Equal(result.PartCount, result.PartsUploaded);
        Assert.Equal(size, result.BytesSent);
        Assert.Contains(await _store.SettledRequestsAsync(), r => r.SendsObjectBytes());
        await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
    }

    [Fact]
    public async Task Wrong_secret_refused_on_the_bodiless_HEAD_fails_on_the_upload_naming_the_credentials_to_check()
    {
        var request = NewRequest(SingleSize);
        request.SkipUnchanged = true;
        var client = _store.Client(options => options.SecretAccessKey = "wrong");

        var error = await Assert.ThrowsAsync<ObsException>(() => client.UploadFileAsync(request));

        Assert.Equal(("PutObject", "SignatureDoesNotMatch"), (error.Operation, error.ErrorCode));
        Assert.Contains("The secret access key does not match the access key id", error.Message, StringComparison.Ordinal);
    }

    private UploadFileRequest NewRequest(long size) =>
        new(_store.Bucket, LocalObjectStore.UniqueKey("unchanged.bin"), _files.Create("unchanged.bin", size, seed: (int)size))
        {
            PartSize = PartSize,
            TaskNum = 2,
        };
}
