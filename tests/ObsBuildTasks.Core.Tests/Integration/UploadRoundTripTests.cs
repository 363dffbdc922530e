using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>Files of every shape go up and come back byte-identical, with the ETag the protocol promises.</summary>
public sealed class UploadRoundTripTests : IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private readonly TestFiles _files = new();

    public static TheoryData<SignatureType, long, int> Shapes => new()
    {
        { SignatureType.V4, 0, 1 },
        { SignatureType.V4, 1, 1 },
        { SignatureType.V4, PartSize - 1, 1 },
        { SignatureType.V4, PartSize, 1 },
        { SignatureType.V4, PartSize + 1, 1 },
        { SignatureType.V4, 3 * PartSize, 8 },
        { SignatureType.V4, 101 * PartSize + 7, 8 },
        { SignatureType.V2, 0, 1 },
        { SignatureType.V2, PartSize + 1, 1 },
        { SignatureType.V2, 5 * PartSize, 8 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Stored_object_equals_the_file(SignatureType signature, long size, int taskNum)
    {
        var store = await LocalObjectStore.GetAsync();
        var path = _files.Create("artifact.bin", size, seed: (int)size);
        using var client = new ObsClient(store.ClientOptions(signature));
        var key = LocalObjectStore.UniqueKey("artifact.bin");

        var result = await client.UploadFileAsync(new UploadFileRequest(store.Bucket, key, path) { PartSize = PartSize, TaskNum = taskNum });

        var expectedParts = size <= PartSize ? 1 : (int)((size + PartSize - 1) / PartSize);
        Assert.Equal(expectedParts, result.PartCount);
        Assert.Equal(expectedParts, result.PartsUploaded);
        Assert.Equal(size, result.BytesSent);
        Assert.Equal((TestFiles.Md5(path), size), await store.Reader.HashObjectAsync(store.Bucket, key));
        var head = await client.HeadObjectAsync(store.Bucket, key);
        Assert.Equal(result.ETag, head!.ETag);
        Assert.Equal(size, head.ContentLength);
        if (expectedParts == 1)
        {
            Assert.Equal(TestFiles.Md5(path), result.ETag);
        }
        else
        {
            Assert.EndsWith($"-{expectedParts}", result.ETag, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _files.Dispose();
}
