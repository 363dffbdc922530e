using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using ObsBuildTasks;
using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>The aliases, driven in-process through a fake Cake context, against the local object store.</summary>
public sealed class UploadAliasTests
{
    private const long PartSize = UploadFileRequest.MinPartSize;

    [Fact]
    public async Task One_file_becomes_prefix_plus_file_name_with_its_bytes_stored()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        var path = workspace.Files.Create("dist/app.zip", 2 * PartSize + 5);

        var result = workspace.Context.ObsUploadFile(workspace.Store.Bucket, "./dist/app.zip", workspace.Settings());

        var key = workspace.Prefix + "app.zip";
        Assert.Equal((workspace.Store.Bucket, key), (result.BucketName, result.ObjectKey));
        Assert.Equal(path, result.UploadFile);
        Assert.Equal((2 * PartSize + 5, 3, 3, false), (result.Size, result.PartCount, result.PartsUploaded, result.Resumed));
        Assert.EndsWith("-3", result.ETag, StringComparison.Ordinal);
        Assert.Equal(new Uri(workspace.Store.Endpoint, $"{workspace.Store.Bucket}/{key}"), result.Location);
        Assert.Equal((TestFiles.Md5(path), 2 * PartSize + 5), await workspace.StoredAsync(key));
    }

    [Fact]
    public async Task Files_below_BaseDirectory_keep_their_folders_in_the_keys()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        string[] names = ["a.bin", "sub/b.bin", "sub/deeper/c.txt"];
        var paths = names.Select((name, index) => workspace.Files.Create($"artifacts/{name}", PartSize + index, seed: index)).ToList();
        var settings = workspace.Settings();
        settings.BaseDirectory = "./artifacts";
        settings.TaskNum = 4;

        var results = workspace.Context.ObsUploadFile(workspace.Store.Bucket, paths.Select(path => new FilePath(path)), settings);

        Assert.Equal(names.Select(name => workspace.Prefix + name), results.Select(result => result.ObjectKey));
        foreach (var (path, result) in paths.Zip(results))
        {
            Assert.Equal((TestFiles.Md5(path), new FileInfo(path).Length), await workspace.StoredAsync(result.ObjectKey));
        }
    }

    [Fact]
    public async Task Two_files_with_one_name_are_refused_before_anything_is_sent()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        var first = workspace.Files.Create("x/app.zip", 10);
        var second = workspace.Files.Create("y/app.zip", 10);

        var error = Assert.Throws<CakeException>(() =>
            workspace.Context.ObsUploadFile(workspace.Store.Bucket, [new FilePath(first), new FilePath(second)], workspace.Settings()));

        Assert.Contains(first, error.Message, StringComparison.Ordinal);
        Assert.Contains(second, error.Message, StringComparison.Ordinal);
        Assert.Contains("BaseDirectory", error.Message, StringComparison.Ordinal);
        Assert.Null(await workspace.StoredAsync(workspace.Prefix + "app.zip"));
    }

    [Fact]
    public async Task A_file_outside_BaseDirectory_is_refused()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        var outside = workspace.Files.Create("elsewhere/app.zip", 10);
        var settings = workspace.Settings();
        settings.BaseDirectory = "./artifacts";

        var error = Assert.Throws<CakeException>(() => workspace.Context.ObsUploadFile(workspace.Store.Bucket, outside, settings));

        Assert.Contains($"'{outside}' is not under the BaseDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_in_the_file_list_is_a_coded_input_error_and_nothing_is_sent()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        var app = workspace.Files.Create("app.zip", 10);

        var error = Assert.Throws<CakeException>(() =>
            workspace.Context.ObsUploadFile(workspace.Store.Bucket, [new FilePath(app), null!], workspace.Settings()));

        Assert.StartsWith($"Cannot upload to OBS bucket '{workspace.Store.Bucket}':\n  OBS0004: No file to upload was given: file 2 of the 2 given is null. Leave it out of the list, or check what made it. (",
            error.Message.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Null(await workspace.StoredAsync(workspace.Prefix + "app.zip"));
    }

    [Fact]
    public async Task A_null_file_is_a_coded_input_error()
    {
        using var workspace = await AliasWorkspace.CreateAsync();

        var error = Assert.Throws<CakeException>(() => workspace.Context.ObsUploadFile(workspace.Store.Bucket, (FilePath)null!, workspace.Settings()));

        Assert.Contains("OBS0004: No file to upload was given: file 1 of the 1 given is null.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_type_and_metadata_reach_the_stored_object()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("notes.data", 100);
        var settings = workspace.Settings();
        settings.ContentType = "text/x-release-notes";
        settings.Metadata["build"] = "1234";

        var result = workspace.Context.ObsUploadFile(workspace.Store.Bucket, "notes.data", settings);

        using var client = new ObsClient(workspace.Store.ClientOptions());
        var stored = await client.HeadObjectAsync(workspace.Store.Bucket, result.ObjectKey);
        Assert.Equal("text/x-release-notes", stored!.ContentType);
        Assert.Equal("1234", stored.Metadata["build"]);
    }

    [Fact]
    public async Task SkipUnchanged_sends_nothing_for_an_identical_stored_object()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 3 * PartSize);
        var settings = workspace.Settings();
        settings.SkipUnchanged = true;
        workspace.Context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings);

        var again = workspace.Context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings);

        Assert.Equal((true, 0L, 0), (again.Skipped, again.BytesSent, again.PartsUploaded));
        Assert.Contains(workspace.Context.Log.Entries, entry => entry.Text.Contains("Uploaded 1 of 1 file(s)", StringComparison.Ordinal)
            && entry.Text.Contains(": 0 uploaded, 0 resumed, 1 skipped, 0 failed;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnProgress_is_told_how_far_each_file_has_come()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        workspace.Files.Create("app.zip", 3 * PartSize);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<FileProgressEvent>();
        var settings = workspace.Settings();
        settings.OnProgress = seen.Enqueue;

        workspace.Context.ObsUploadFile(workspace.Store.Bucket, "app.zip", settings);

        Assert.NotEmpty(seen);
        Assert.All(seen, progress => Assert.EndsWith("app.zip", progress.Request.UploadFile, StringComparison.Ordinal));
        Assert.Equal(3 * PartSize, seen.Last().TransferredBytes);
        Assert.Equal(seen.Select(progress => progress.TransferredBytes).Order(), seen.Select(progress => progress.TransferredBytes));
    }

    [Fact]
    public async Task No_files_give_an_empty_result_and_a_warning()
    {
        using var workspace = await AliasWorkspace.CreateAsync();

        var results = workspace.Context.ObsUploadFile(workspace.Store.Bucket, Array.Empty<FilePath>(), workspace.Settings());

        Assert.Empty(results);
        Assert.Contains(workspace.Context.Log.Entries, entry => entry.Level == LogLevel.Warning && entry.Text.StartsWith("OBS0045: No files were given to upload", StringComparison.Ordinal));
    }
}
