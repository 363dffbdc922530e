using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Clients;

/// <summary>This repository's engine, signing with the OBS signature, uploads through the front; the store has the bytes and headers.</summary>
public sealed class EngineThroughFrontTests : IDisposable
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Multipart_upload_with_metadata_lands_intact()
    {
        var front = await LocalObsFront.GetAsync();
        var store = await LocalObjectStore.GetAsync();
        var path = _files.Create("engine.zip", 3 * PartSize + 123, seed: 7);
        var key = LocalObjectStore.UniqueKey("engine upload+1.zip");
        using var client = new ObsClient(front.ClientOptions());
        var request = new UploadFileRequest(front.Bucket, key, path) { PartSize = PartSize, TaskNum = 3 };
        request.Metadata["commit"] = "4f2a9c1";
        request.Metadata["build"] = "42";
        request.Headers.ContentType = "application/zip";

        var result = await client.UploadFileAsync(request);

        Assert.Equal(4, result.PartCount);
        Assert.Equal((TestFiles.Md5(path), 3 * PartSize + 123), await store.Reader.HashObjectAsync(front.Bucket, key));
        var (metadata, contentType) = await AwsCli.HeadObjectAsync(front.Bucket, key);
        Assert.Equal(new Dictionary<string, string> { ["build"] = "42", ["commit"] = "4f2a9c1" }, metadata);
        Assert.Equal("application/zip", contentType);
    }

    [Fact]
    public async Task Temporary_credentials_upload()
    {
        var front = await LocalObsFront.GetAsync();
        var store = await LocalObjectStore.GetAsync();
        var path = _files.Create("temporary.bin", 2 * PartSize + 1, seed: 8);
        var key = LocalObjectStore.UniqueKey("temporary.bin");
        var options = front.ClientOptions();
        options.AccessKeyId = front.TemporaryAccessKeyId;
        options.SecretAccessKey = front.TemporarySecretAccessKey;
        options.SecurityToken = front.SecurityToken;
        using var client = new ObsClient(options);

        await client.UploadFileAsync(new UploadFileRequest(front.Bucket, key, path) { PartSize = PartSize });

        Assert.Equal((TestFiles.Md5(path), 2 * PartSize + 1), await store.Reader.HashObjectAsync(front.Bucket, key));
    }

    public void Dispose() => _files.Dispose();
}
