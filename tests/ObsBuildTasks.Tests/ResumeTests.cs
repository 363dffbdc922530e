using System.Globalization;
using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>A build cancelled mid-upload leaves a checkpoint the next build resumes from; an unchanged file is not
/// sent again when SkipUnchanged asks for that. Requests go through a proxy that counts what reaches the store.</summary>
[Collection(MSBuildTests.Name)]
public sealed class ResumeTests : IDisposable
{
    private const int PartSize = 102_400;
    private const int PartCount = 10;
    private readonly TaskProject _project = new();

    [Fact]
    public async Task Build_cancelled_half_way_is_resumed_by_the_next_build()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        var path = _project.CreateFile("dist/large.bin", PartSize * PartCount);
        var key = LocalObjectStore.UniqueKey("large.bin");
        WriteProject(store, proxy.Endpoint, key, skipUnchanged: false);
        // Part 6 is held by the proxy, so the build is still uploading when half the parts are done.
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(5)).ForMethod("PUT").WithQueryParameter("partNumber", "6"));

        var cancelled = await ProjectBuilder.BuildAsync(_project, new BuildSettings
        {
            Environment = EnvironmentScope.StoreCredentials(store),
            // The progress line once parts 1 to 5 are on the server.
            CancelWhen = message => message.StartsWith("Uploading to ", StringComparison.Ordinal) && message.Contains(" 50% ", StringComparison.Ordinal),
        });
        proxy.ClearRules();
        var sentBefore = proxy.RequestBodyBytesForwarded;
        var resumed = await ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = EnvironmentScope.StoreCredentials(store) });

        Assert.False(cancelled.Succeeded);
        Assert.Contains(cancelled.Warnings, warning => warning.Code == "OBS0030");
        Assert.True(resumed.Succeeded, resumed.Describe());
        Assert.Equal("true", resumed.Uploaded("large.bin").GetMetadata("Resumed"));
        // The missing parts, and Complete's small XML document.
        Assert.InRange(proxy.RequestBodyBytesForwarded - sentBefore, 1, ((PartCount - 5) * PartSize) + 4096);
        Assert.Equal((TestFiles.Md5(path), (long)PartSize * PartCount), await store.Reader.HashObjectAsync(store.Bucket, key));
    }

    [Fact]
    public async Task SkipUnchanged_sends_no_part_of_an_unchanged_file()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        _project.CreateFile("dist/large.bin", PartSize * 3);
        var key = LocalObjectStore.UniqueKey("large.bin");
        WriteProject(store, store.Endpoint, key, skipUnchanged: false);
        var first = await ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = EnvironmentScope.StoreCredentials(store) });
        Assert.True(first.Succeeded, first.Describe());

        WriteProject(store, proxy.Endpoint, key, skipUnchanged: true);
        var second = await ProjectBuilder.BuildAsync(_project, new BuildSettings { Environment = EnvironmentScope.StoreCredentials(store) });

        Assert.True(second.Succeeded, second.Describe());
        Assert.Equal("true", second.Uploaded("large.bin").GetMetadata("Skipped"));
        Assert.Equal(first.Uploaded("large.bin").GetMetadata("ETag"), second.Uploaded("large.bin").GetMetadata("ETag"));
        Assert.All(proxy.Requests, request => Assert.Equal("HEAD", request.Method));
        Assert.Equal(0, proxy.RequestBodyBytesForwarded);
    }

    [Fact]
    public async Task A_checkpoint_in_use_in_the_build_of_one_framework_names_the_multi_targeting_cause_and_the_fix()
    {
        var store = await LocalObjectStore.GetAsync();
        var path = _project.CreateFile("dist/large.bin", PartSize * 3);
        var key = LocalObjectStore.UniqueKey("large.bin");
        WriteProject(store, store.Endpoint, key, skipUnchanged: false);
        var request = new UploadFileRequest(store.Bucket, key, path);
        var checkpoint = request.CheckpointFileIn(_project.CheckpointDirectory, store.Endpoint.ToString());
        Directory.CreateDirectory(_project.CheckpointDirectory);
        // Another framework's build of the same project holds the checkpoint's lock.
        using var otherBuild = new FileStream(checkpoint + ".lock", FileMode.Create, FileAccess.ReadWrite, FileShare.None);

        var run = await ProjectBuilder.BuildAsync(_project, new BuildSettings
        {
            Environment = EnvironmentScope.StoreCredentials(store),
            GlobalProperties = new Dictionary<string, string?> { ["TargetFramework"] = "net10.0" },
        });

        var error = Assert.Single(run.Errors);
        Assert.Equal("OBS0026", error.Code);
        Assert.Contains("runs in the build of target framework net10.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("ObsUploadAfterBuild=true", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _project.Dispose();

    private void WriteProject(LocalObjectStore store, Uri endpoint, string key, bool skipUnchanged)
    {
        var task = TaskProject.StoreTask(store, endpoint);
        task["PartSize"] = PartSize.ToString(CultureInfo.InvariantCulture);
        task["SkipUnchanged"] = skipUnchanged ? "true" : "false";
        task["ProgressInterval"] = "0.1";
        _project.Write($"""<Artifacts Include="dist/large.bin" ObjectKey="{key}" />""", task);
    }
}
