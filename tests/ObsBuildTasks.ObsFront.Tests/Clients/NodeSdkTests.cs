using ObsBuildTasks.ObsFront.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.ObsFront.Tests.Clients;

/// <summary>
/// Huawei's official Node.js SDK (esdk-obs-nodejs 3.26.8) negotiates the OBS protocol with the front, signs with the
/// OBS signature, and what it uploads is what the store holds (read back directly from the store).
/// </summary>
public sealed class NodeSdkTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task PutObject_stores_the_file_and_its_metadata()
    {
        var (front, path, key) = await PrepareAsync("node put+object é.bin", 300 * 1024 + 5);

        await NodeSdk.RunAsync(front, temporary: false, "putObject", front.Bucket, key, path);

        await AssertStoredAsync(front, key, path);
        Assert.Equal(new Dictionary<string, string> { ["commit"] = "4f2a9c1" }, (await AwsCli.HeadObjectAsync(front.Bucket, key)).Metadata);
    }

    [Fact]
    public async Task PutObject_with_temporary_credentials_stores_the_file()
    {
        var (front, path, key) = await PrepareAsync("node temporary.bin", 64 * 1024);

        await NodeSdk.RunAsync(front, temporary: true, "putObject", front.Bucket, key, path);

        await AssertStoredAsync(front, key, path);
    }

    [Fact]
    public async Task Multipart_upload_stores_the_parts_in_order()
    {
        var (front, path, key) = await PrepareAsync("node multipart.zip", 3 * 256 * 1024 + 77);

        var result = await NodeSdk.RunAsync(front, temporary: false, "multipart", front.Bucket, key, path);

        Assert.Equal(4, result.GetProperty("parts").GetInt32());
        Assert.EndsWith("-4\"", result.GetProperty("etag").GetString(), StringComparison.Ordinal);
        await AssertStoredAsync(front, key, path);
        Assert.Equal("application/zip", (await AwsCli.HeadObjectAsync(front.Bucket, key)).ContentType);
    }

    [Fact]
    public async Task UploadFile_with_checkpoint_and_three_tasks_stores_the_file()
    {
        var (front, path, key) = await PrepareAsync("node upload file.bin", 5 * 512 * 1024 + 999);
        var checkpoint = Path.Combine(_files.Root, "upload.checkpoint");

        var result = await NodeSdk.RunAsync(front, temporary: false, "uploadFile", front.Bucket, key, path, checkpoint);

        Assert.True(result.GetProperty("checkpointSeen").GetBoolean());
        Assert.False(File.Exists(checkpoint));
        Assert.EndsWith("-6\"", result.GetProperty("etag").GetString(), StringComparison.Ordinal);
        await AssertStoredAsync(front, key, path);
    }

    public void Dispose() => _files.Dispose();

    private async Task<(LocalObsFront Front, string Path, string Key)> PrepareAsync(string name, long size) =>
        (await LocalObsFront.GetAsync(), _files.Create(name, size, seed: (int)size), LocalObjectStore.UniqueKey(name));

    private static async Task AssertStoredAsync(LocalObsFront front, string key, string path)
    {
        var store = await LocalObjectStore.GetAsync();
        Assert.Equal((TestFiles.Md5(path), new FileInfo(path).Length), await store.Reader.HashObjectAsync(front.Bucket, key));
    }
}
