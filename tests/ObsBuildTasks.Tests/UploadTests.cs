using Microsoft.Build.Framework;
using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>Files of a real project go where their items say, with the headers and metadata asked for, and the output
/// items tell the truth about what the store holds.</summary>
[Collection(MSBuildTests.Name)]
public sealed class UploadTests : IDisposable
{
    private const int PartSize = 102_400;
    private static readonly string[] WildcardFiles = ["a.txt", "sub/b.bin", "sub/deeper/c.json"];
    private readonly TaskProject _project = new();

    [Fact]
    public async Task Wildcard_items_go_to_keys_that_follow_RecursiveDir()
    {
        var store = await LocalObjectStore.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("wildcard") + "/";
        var files = WildcardFiles.ToDictionary(name => name, name => _project.CreateFile("dist/" + name, 1000));
        var task = TaskProject.StoreTask(store, store.Endpoint);
        task["ObjectKeyPrefix"] = prefix;
        _project.Write("""<Artifacts Include="dist/**/*" />""", task);

        var run = await BuildAsync(store);

        Assert.True(run.Succeeded, run.Describe());
        foreach (var (name, path) in files)
        {
            Assert.Equal(prefix + name, run.Uploaded(Path.GetFileName(name)).GetMetadata("ObjectKey"));
            Assert.Equal((TestFiles.Md5(path), 1000L), await store.Reader.HashObjectAsync(store.Bucket, prefix + name));
        }
    }

    [Fact]
    public async Task Folder_item_pattern_with_a_subfolder_uploads_the_files_it_matches_there()
    {
        var store = await LocalObjectStore.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("subfolder-pattern") + "/";
        var package = _project.CreateFile("dist/packages/app.nupkg", 1000);
        _project.CreateFile("dist/app.nupkg", 1000);
        var task = TaskProject.StoreTask(store, store.Endpoint);
        task["ObjectKeyPrefix"] = prefix;
        _project.Write("""<Artifacts Include="dist/" FileMatch="packages/*.nupkg" />""", task);

        var run = await BuildAsync(store);

        Assert.True(run.Succeeded, run.Describe());
        Assert.Equal(prefix + "packages/app.nupkg", Assert.Single(run.UploadedFiles).GetMetadata("ObjectKey"));
        Assert.Equal((TestFiles.Md5(package), 1000L), await store.Reader.HashObjectAsync(store.Bucket, prefix + "packages/app.nupkg"));
    }

    [Fact]
    public async Task ObjectKey_and_ContentType_metadata_override_the_defaults()
    {
        var store = await LocalObjectStore.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("overrides") + "/";
        _project.CreateFile("dist/app.zip", 500);
        _project.CreateFile("dist/notes.txt", 500);
        var task = TaskProject.StoreTask(store, store.Endpoint);
        task["ObjectKeyPrefix"] = prefix;
        task["ContentType"] = "text/x-task-default";
        _project.Write($"""
            <Artifacts Include="dist/app.zip" ObjectKey="{prefix}renamed/app-1.0.zip" ContentType="application/x-item-override" />
            <Artifacts Include="dist/notes.txt" />
            """, task);

        var run = await BuildAsync(store);

        Assert.True(run.Succeeded, run.Describe());
        using var client = new ObsClient(store.ClientOptions());
        var renamed = await client.HeadObjectAsync(store.Bucket, prefix + "renamed/app-1.0.zip");
        Assert.Equal("application/x-item-override", renamed?.ContentType);
        Assert.Null(await client.HeadObjectAsync(store.Bucket, prefix + "app.zip"));
        Assert.Equal("text/x-task-default", (await client.HeadObjectAsync(store.Bucket, prefix + "notes.txt"))?.ContentType);
    }

    [Fact]
    public async Task Metadata_is_stored_on_every_object()
    {
        var store = await LocalObjectStore.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("metadata") + "/";
        _project.CreateFile("dist/one.bin", 10);
        _project.CreateFile("dist/two.bin", 3 * PartSize);
        var task = TaskProject.StoreTask(store, store.Endpoint);
        task["ObjectKeyPrefix"] = prefix;
        task["PartSize"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        task["Metadata"] = "build=42; channel = beta ;";
        _project.Write("""<Artifacts Include="dist/*.bin" />""", task);

        var run = await BuildAsync(store);

        Assert.True(run.Succeeded, run.Describe());
        using var client = new ObsClient(store.ClientOptions());
        foreach (var name in (string[])["one.bin", "two.bin"])
        {
            var stored = await client.HeadObjectAsync(store.Bucket, prefix + name);
            Assert.Equal("42", stored?.Metadata["build"]);
            Assert.Equal("beta", stored?.Metadata["channel"]);
        }
    }

    [Fact]
    public async Task Output_items_carry_what_the_store_holds_and_keep_the_input_metadata()
    {
        var store = await LocalObjectStore.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("outputs") + "/";
        _project.CreateFile("dist/small.txt", 1234);
        _project.CreateFile("dist/large.bin", (2 * PartSize) + 1);
        var task = TaskProject.StoreTask(store, store.Endpoint);
        task["ObjectKeyPrefix"] = prefix;
        task["PartSize"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        task["TaskNum"] = "4";
        _project.Write("""<Artifacts Include="dist/*" Channel="nightly" />""", task);

        var run = await BuildAsync(store);

        Assert.True(run.Succeeded, run.Describe());
        using var client = new ObsClient(store.ClientOptions());
        foreach (var (name, size, parts) in new[] { ("small.txt", 1234L, 1), ("large.bin", (2L * PartSize) + 1, 3) })
        {
            var item = run.Uploaded(name);
            var stored = await client.HeadObjectAsync(store.Bucket, prefix + name);
            Assert.NotNull(stored);
            Assert.Equal(stored.ETag, item.GetMetadata("ETag"));
            Assert.Equal(stored.ContentLength.ToString(System.Globalization.CultureInfo.InvariantCulture), item.GetMetadata("Size"));
            Assert.Equal(size, stored.ContentLength);
            Assert.Equal(parts.ToString(System.Globalization.CultureInfo.InvariantCulture), item.GetMetadata("PartCount"));
            Assert.Equal(new Uri(store.Endpoint, $"{store.Bucket}/{prefix}{name}").AbsoluteUri, item.GetMetadata("Url"));
            Assert.Equal(store.Bucket, item.GetMetadata("Bucket"));
            Assert.Equal(prefix + name, item.GetMetadata("ObjectKey"));
            Assert.Equal("false", item.GetMetadata("Resumed"));
            Assert.Equal("false", item.GetMetadata("Skipped"));
            Assert.NotEmpty(item.GetMetadata("RequestId"));
            Assert.Equal("nightly", item.GetMetadata("Channel"));
        }
    }

    [Fact]
    public async Task Each_file_gets_a_high_start_and_end_line_and_the_call_a_high_totals_line()
    {
        var store = await LocalObjectStore.GetAsync();
        _project.CreateFile("dist/one.bin", 10);
        _project.CreateFile("dist/two.bin", 2 * PartSize);
        var task = TaskProject.StoreTask(store, store.Endpoint);
        var prefix = LocalObjectStore.UniqueKey("messages") + "/";
        task["ObjectKeyPrefix"] = prefix;
        task["PartSize"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _project.Write("""<Artifacts Include="dist/*.bin" />""", task);

        var run = await BuildAsync(store);

        Assert.True(run.Succeeded, run.Describe());
        var high = run.Messages.Where(message => message.Importance == MessageImportance.High && message.SenderName == "ObsUploadFile")
            .Select(message => message.Message!).ToList();
        Assert.Contains($"Uploading dist/one.bin (10 B) to {store.Bucket}/{prefix}one.bin in one request.", high);
        Assert.Contains($"Uploading dist/two.bin (200.0 KiB) to {store.Bucket}/{prefix}two.bin in 2 parts of 100.0 KiB.", high);
        Assert.Contains(high, text => text.StartsWith("Uploaded dist/one.bin to ", StringComparison.Ordinal) && text.Contains(": 1 part(s) sent; ETag ", StringComparison.Ordinal));
        Assert.Contains(high, text => text.StartsWith("Uploaded dist/two.bin to ", StringComparison.Ordinal) && text.Contains(": 2 part(s) sent; ETag ", StringComparison.Ordinal));
        var totals = Assert.Single(high, text => text.StartsWith("Uploaded 2 of 2 file(s) ", StringComparison.Ordinal));
        Assert.Contains(": 2 uploaded, 0 resumed, 0 skipped, 0 failed;", totals, StringComparison.Ordinal);
        Assert.Equal(5, high.Count);
        Assert.Contains(run.Messages, message => message.Importance == MessageImportance.Normal
            && message.Message == $"Bucket {store.Bucket}: signing with V4 in region {LocalObjectStore.Region} (configured).");
    }

    public void Dispose() => _project.Dispose();

    private Task<BuildRun> BuildAsync(LocalObjectStore store) =>
        ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = EnvironmentScope.StoreCredentials(store) });
}
