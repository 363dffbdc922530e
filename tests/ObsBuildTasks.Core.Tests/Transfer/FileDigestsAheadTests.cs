using ObsBuildTasks.Hashing;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Tests.Transfer;

public sealed class FileDigestsAheadTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Files_that_go_in_one_request_get_the_md5_of_their_bytes_and_others_none()
    {
        long[] sizes = [0, 10, UploadFileRequest.MinPartSize, 70_000, UploadFileRequest.MinPartSize + 1, 5, 300, 20_000, 1, 99_000, 64];
        var requests = sizes.Select((size, index) => Request(_files.Create($"file-{index}.bin", size, seed: index))).ToList();
        var digests = new FileDigestsAhead(requests, CancellationToken.None);

        for (var index = 0; index < requests.Count; index++)
        {
            using var file = LocalFile.Open(requests[index].UploadFile);

            Assert.Equal(sizes[index] > UploadFileRequest.MinPartSize ? null : HashedAhead(requests[index].UploadFile),
                Hex(await digests.Md5Async(index, file)));
        }
    }

    [Fact]
    public async Task A_file_that_changed_after_it_was_hashed_ahead_gets_no_md5()
    {
        var requests = Enumerable.Range(0, 3).Select(index => Request(_files.Create($"file-{index}.bin", 1000, seed: index))).ToList();
        var digests = new FileDigestsAhead(requests, CancellationToken.None);
        using (var first = LocalFile.Open(requests[0].UploadFile))
        {
            await digests.Md5Async(0, first);
        }

        await File.WriteAllBytesAsync(requests[2].UploadFile, new byte[1001]);
        using var changed = LocalFile.Open(requests[2].UploadFile);

        Assert.Null(await digests.Md5Async(2, changed));
    }

    [Fact]
    public async Task A_file_missing_when_its_batch_is_hashed_gets_no_md5_and_the_others_theirs()
    {
        var requests = Enumerable.Range(0, 3).Select(index => Request(_files.Create($"file-{index}.bin", 1000, seed: index))).ToList();
        var missing = requests[1].UploadFile + ".moved";
        File.Move(requests[1].UploadFile, missing);
        var digests = new FileDigestsAhead(requests, CancellationToken.None);

        using var first = LocalFile.Open(requests[0].UploadFile);
        var firstMd5 = await digests.Md5Async(0, first);
        File.Move(missing, requests[1].UploadFile);
        using var second = LocalFile.Open(requests[1].UploadFile);

        Assert.Null(await digests.Md5Async(1, second));
        Assert.Equal(HashedAhead(requests[0].UploadFile), Hex(firstMd5));
    }

    [Fact]
    public async Task A_file_shorter_than_its_size_when_read_ahead_fails_no_upload_of_its_batch()
    {
        // A sysfs file says it has 4096 bytes and holds a few: read ahead, it is a file cut short while read.
        const string ShortFile = "/sys/devices/system/cpu/online";
        var requests = new[] { Request(_files.Create("file-0.bin", 1000)), Request(ShortFile), Request(_files.Create("file-2.bin", 1000)) };
        var digests = new FileDigestsAhead(requests, CancellationToken.None);
        using var first = LocalFile.Open(requests[0].UploadFile);

        Assert.Null(await digests.Md5Async(0, first));
    }

    [Fact]
    public async Task A_file_that_cannot_be_uploaded_in_a_batch_fails_none_of_the_others()
    {
        var requests = new[] { Request(_files.Create("file-0.bin", 1000)), Request("/proc/self/status"), Request(_files.Create("file-2.bin", 1000)) };
        var digests = new FileDigestsAhead(requests, CancellationToken.None);
        using var first = LocalFile.Open(requests[0].UploadFile);

        Assert.Equal(HashedAhead(requests[0].UploadFile), Hex(await digests.Md5Async(0, first)));
    }

    /// <summary>The MD5 a file hashed ahead gets: none where there are no lanes (each upload hashes its own file).</summary>
    private static string? HashedAhead(string path) => LaneHasher.BatchSize == 1 ? null : TestFiles.Md5(path);

    private static string? Hex(byte[]? md5) => md5 is null ? null : Convert.ToHexStringLower(md5);

    private static UploadFileRequest Request(string path) =>
        new("bucket", Path.GetFileName(path), path) { PartSize = UploadFileRequest.MinPartSize };
}
