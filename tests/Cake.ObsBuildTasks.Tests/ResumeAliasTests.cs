using Cake.Core;
using ObsBuildTasks;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests;

/// <summary>A failed upload leaves a checkpoint under the working directory, and the next call resumes from it.</summary>
public sealed class ResumeAliasTests
{
    private const long PartSize = UploadFileRequest.MinPartSize;
    private const long FileSize = 6 * PartSize;

    [Fact]
    public async Task A_failed_upload_leaves_its_checkpoint_under_obj_obs_and_says_how_to_resume()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        await using var proxy = ProxyRefusingPartThree(workspace);
        workspace.Files.Create("app.zip", FileSize);

        var error = Assert.Throws<CakeException>(() => UploadThrough(proxy, workspace, checkpoints: true));

        var checkpoint = Assert.Single(Directory.GetFiles(Path.Combine(workspace.Files.Root, "obj", "obs"), "*.json"));
        Assert.Contains("UploadPart failed with HTTP 403 AccessDenied", error.Message, StringComparison.Ordinal);
        Assert.Contains("The next run resumes from the checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetDirectoryName(checkpoint)!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_again_after_a_failure_keeps_the_parts_sent_and_stores_the_file()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        await using var proxy = ProxyRefusingPartThree(workspace);
        var path = workspace.Files.Create("app.zip", FileSize);
        Assert.Throws<CakeException>(() => UploadThrough(proxy, workspace, checkpoints: true));
        proxy.ClearRules();

        var result = UploadThrough(proxy, workspace, checkpoints: true);

        Assert.True(result.Resumed);
        Assert.Equal((2, 4), (result.PartsReused, result.PartsUploaded));
        Assert.Equal((TestFiles.Md5(path), FileSize), await workspace.StoredAsync(result.ObjectKey));
        Assert.Empty(Directory.GetFiles(Path.Combine(workspace.Files.Root, "obj", "obs"), "*.json"));
    }

    [Fact]
    public async Task Without_checkpoints_a_failure_leaves_nothing_to_resume()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        await using var proxy = ProxyRefusingPartThree(workspace);
        workspace.Files.Create("app.zip", FileSize);

        var error = Assert.Throws<CakeException>(() => UploadThrough(proxy, workspace, checkpoints: false));

        Assert.DoesNotContain("resume", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Files.Root, "obj", "obs")));
    }

    [Fact]
    public async Task A_failed_single_request_upload_offers_no_resume()
    {
        using var workspace = await AliasWorkspace.CreateAsync();
        await using var proxy = new FaultInjectingProxy(workspace.Store.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT"));
        workspace.Files.Create("app.zip", PartSize);

        var error = Assert.Throws<CakeException>(() => UploadThrough(proxy, workspace, checkpoints: true));

        Assert.Contains("PutObject failed with HTTP 403 AccessDenied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("resume", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A proxy to the store that refuses part 3 (parts go one at a time, so parts 1 and 2 are on the server).</summary>
    private static FaultInjectingProxy ProxyRefusingPartThree(AliasWorkspace workspace)
    {
        var proxy = new FaultInjectingProxy(workspace.Store.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("PUT").WithQueryParameter("partNumber", "3"));
        return proxy;
    }

    private static CompleteMultipartUploadResult UploadThrough(FaultInjectingProxy proxy, AliasWorkspace workspace, bool checkpoints)
    {
        var settings = workspace.Settings();
        settings.EnableCheckpoint = checkpoints;
        return workspace.CreateContext(workspace.StoreVariables(proxy.Endpoint)).ObsUploadFile(workspace.Store.Bucket, "app.zip", settings);
    }
}
