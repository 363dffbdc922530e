using System.Globalization;
using System.Runtime.InteropServices;
using ObsBuildTasks;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace Cake.ObsBuildTasks.Tests.Scripts;

/// <summary>Real <c>dotnet cake</c> runs of scripts that load the packed addin from a local folder feed.</summary>
public sealed class ScriptTests : IClassFixture<AddinFeed>
{
    private const long PartSize = UploadFileRequest.MinPartSize;

    private readonly AddinFeed _feed;

    public ScriptTests(AddinFeed feed) => _feed = feed;

    /// <summary>Uploads the files of <paramref name="glob"/> with the settings a test varies given as arguments, and
    /// prints one parseable RESULT line per file.</summary>
    private static string UploadScript(string glob) => $$"""
        var results = ObsUploadFile(Argument<string>("bucket"), GetFiles("{{glob}}"), new ObsUploadFileSettings
        {
            Signature = SignatureType.V4,
            ObjectKeyPrefix = Argument<string>("prefix"),
            BaseDirectory = "./artifacts",
            PartSize = Argument("part-size", {{PartSize}}L),
            TaskNum = Argument("task-num", 1),
            EnableCheckpoint = Argument("checkpoint", true),
            ProgressInterval = TimeSpan.FromMilliseconds(100),
        });
        foreach (var result in results)
        {
            Information("RESULT|{0}|{1}|{2}|{3}", result.ObjectKey, result.Resumed, result.PartsReused, result.PartsUploaded);
        }
        """;

    [Fact]
    public void The_addin_the_engine_and_Polly_are_packed_as_ReadyToRun_images()
    {
        var package = Directory.GetFiles(_feed.Folder, "*.nupkg").Single();

        var images = ReadyToRunImage.InPackage(package, "lib/net10.0/");

        Assert.Equal(new Dictionary<string, bool> { ["Cake.ObsBuildTasks.dll"] = true, ["ObsBuildTasks.Core.dll"] = true, ["Polly.Core.dll"] = true }, images);
    }

    [Fact]
    public async Task A_script_uploads_a_glob_of_files_keeping_their_folders()
    {
        var store = await LocalObjectStore.GetAsync();
        using var script = new CakeScript(_feed, UploadScript("./artifacts/**/*.nupkg"));
        string[] names = ["a/One.1.0.0.nupkg", "b/Two.1.0.0.nupkg", "Three.1.0.0.nupkg"];
        var paths = names.Select((name, index) => script.Files.Create($"artifacts/{name}", (3 - index) * PartSize, seed: index)).ToList();
        var prefix = LocalObjectStore.UniqueKey("");

        using var run = await script.RunAsync(StoreEnvironment.Variables(store, store.Endpoint), $"--bucket={store.Bucket}", $"--prefix={prefix}", "--task-num=4");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(names.Select(name => prefix + name).Order(), Results(run).Select(result => result[0]).Order());
        foreach (var (name, path) in names.Zip(paths))
        {
            Assert.Equal((TestFiles.Md5(path), new FileInfo(path).Length), await store.Reader.HashObjectAsync(store.Bucket, prefix + name));
        }

        Assert.Contains("Uploaded 3 of 3 file(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_killed_mid_upload_resumes_on_the_next_run()
    {
        const int parts = 10; // The store reads objects of more than 10 parts back at one part per second.
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        // Parts go one at a time: the first four pass, then the store's answers are held until the script is killed.
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.Zero).ForMethod("PUT").WithQueryParameter("partNumber").First(4));
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(10)).ForMethod("PUT").WithQueryParameter("partNumber"));
        using var script = new CakeScript(_feed, UploadScript("./artifacts/*.bin"));
        var path = script.Files.Create("artifacts/big.bin", parts * PartSize);
        var prefix = LocalObjectStore.UniqueKey("");
        var variables = StoreEnvironment.Variables(store, proxy.Endpoint);
        string[] arguments = [$"--bucket={store.Bucket}", $"--prefix={prefix}"];

        using (var killed = script.Start(variables, arguments))
        {
            await killed.WaitForLineAsync(line => line.StartsWith("Uploading artifacts/big.bin (", StringComparison.Ordinal));
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await proxy.WaitForCompletedRequestsAsync(5, patience.Token); // Initiate and parts 1-4 are on the server.
            await killed.KillAsync();
        }

        proxy.ClearRules();
        using var resumed = await script.RunAsync(variables, arguments);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        var result = Assert.Single(Results(resumed));
        Assert.Equal("True", result[1]);
        var (reused, uploaded) = (int.Parse(result[2], CultureInfo.InvariantCulture), int.Parse(result[3], CultureInfo.InvariantCulture));
        Assert.InRange(reused, 4, parts - 1);
        Assert.Equal(parts, reused + uploaded);
        Assert.Equal((TestFiles.Md5(path), parts * PartSize), await store.Reader.HashObjectAsync(store.Bucket, prefix + "big.bin"));
    }

    [Theory]
    [InlineData(PosixSignal.SIGINT)]
    [InlineData(PosixSignal.SIGTERM)]
    public async Task A_signal_mid_upload_without_checkpoints_aborts_the_upload_and_fails_with_OBS0031(PosixSignal signal)
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = HoldingPartAnswers(store);
        using var script = new CakeScript(_feed, UploadScript("./artifacts/*.bin"));
        script.Files.Create("artifacts/big.bin", 3 * PartSize);
        var prefix = LocalObjectStore.UniqueKey("");

        using var run = script.Start(StoreEnvironment.Variables(store, proxy.Endpoint), $"--bucket={store.Bucket}", $"--prefix={prefix}", "--checkpoint=false");
        await WaitForUploadOnServerAsync(run, store, prefix + "big.bin");
        await run.SendAsync(signal);
        await run.WaitForExitAsync();

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("OBS0031: The upload was cancelled. EnableCheckpoint is false, so the unfinished uploads were aborted", run.Output, StringComparison.Ordinal);
        Assert.Empty(await store.UnfinishedUploadsAsync(prefix + "big.bin"));
    }

    [Fact]
    public async Task Ctrl_C_mid_upload_keeps_the_checkpoint_fails_with_OBS0030_and_the_next_run_resumes()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = HoldingPartAnswers(store);
        using var script = new CakeScript(_feed, UploadScript("./artifacts/*.bin"));
        var path = script.Files.Create("artifacts/big.bin", 3 * PartSize);
        var prefix = LocalObjectStore.UniqueKey("");
        var variables = StoreEnvironment.Variables(store, proxy.Endpoint);
        string[] arguments = [$"--bucket={store.Bucket}", $"--prefix={prefix}"];

        using (var cancelled = script.Start(variables, arguments))
        {
            await WaitForUploadOnServerAsync(cancelled, store, prefix + "big.bin");
            await cancelled.SendAsync(PosixSignal.SIGINT);
            await cancelled.WaitForExitAsync();
            Assert.NotEqual(0, cancelled.ExitCode);
            Assert.Contains("OBS0030: The upload was cancelled. The next run resumes the unfinished files from the checkpoints in", cancelled.Output, StringComparison.Ordinal);
        }

        proxy.ClearRules();
        using var resumed = await script.RunAsync(variables, arguments);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Equal("True", Assert.Single(Results(resumed))[1]);
        Assert.Equal((TestFiles.Md5(path), 3 * PartSize), await store.Reader.HashObjectAsync(store.Bucket, prefix + "big.bin"));
    }

    [Fact]
    public async Task A_failing_OnProgress_is_one_OBS0046_warning_and_the_progress_lines_go_on()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        // Parts 2 and 3 are answered late, so the upload lasts several progress intervals.
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMilliseconds(500)).ForMethod("PUT").WithQueryParameter("partNumber", "2"));
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMilliseconds(500)).ForMethod("PUT").WithQueryParameter("partNumber", "3"));
        using var script = new CakeScript(_feed, $$"""
            ObsUploadFile(Argument<string>("bucket"), "./artifacts/app.bin", new ObsUploadFileSettings
            {
                ObjectKeyPrefix = Argument<string>("prefix"),
                PartSize = {{PartSize}}L,
                ProgressInterval = TimeSpan.FromMilliseconds(100),
                OnProgress = progress => throw new InvalidOperationException("The progress bar is gone."),
            });
            """);
        script.Files.Create("artifacts/app.bin", 3 * PartSize);

        using var run = await script.RunAsync(StoreEnvironment.Variables(store, proxy.Endpoint), $"--bucket={store.Bucket}", $"--prefix={LocalObjectStore.UniqueKey("")}");

        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Output.Split('\n').ToList();
        var warning = Assert.Single(lines, line => line.Contains("OBS0046", StringComparison.Ordinal));
        Assert.StartsWith("OBS0046: OnProgress failed with InvalidOperationException: \"The progress bar is gone.\". The upload goes on;", warning, StringComparison.Ordinal);
        // Part 3 is answered 500 ms late, so a progress line at 66 % comes after the first progress event (whose
        // callback failed) whatever the timing of the lines before it.
        Assert.Contains(lines.Skip(lines.IndexOf(warning) + 1), line => line.StartsWith($"Uploading to {store.Bucket}: 66%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_script_with_an_invalid_part_size_fails_saying_what_to_fix()
    {
        var store = await LocalObjectStore.GetAsync();
        using var script = new CakeScript(_feed, UploadScript("./artifacts/*.bin"));
        script.Files.Create("artifacts/app.bin", 10);

        using var run = await script.RunAsync(StoreEnvironment.Variables(store, store.Endpoint), $"--bucket={store.Bucket}", "--prefix=never/", "--part-size=1");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("OBS0006: PartSize 1 is out of range: use 102400 (100 KiB) to 5368709120 (5 GiB) bytes.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnostic_output_never_shows_a_secret_key_or_token()
    {
        var store = await LocalObjectStore.GetAsync();
        var wrongSecret = $"wrong-secret-{Guid.NewGuid():N}";
        var token = $"token-{Guid.NewGuid():N}";
        // A good upload, then one with a wrong secret that fails: Cake prints the whole exception at diagnostic verbosity.
        using var script = new CakeScript(_feed, $$"""
            {{UploadScript("./artifacts/*.bin")}}
            ObsUploadFile(Argument<string>("bucket"), "./artifacts/app.bin", new ObsUploadFileSettings
            {
                Signature = SignatureType.V4,
                ObjectKeyPrefix = Argument<string>("prefix"),
                SecretAccessKey = EnvironmentVariable("WRONG_SECRET"),
            });
            """);
        script.Files.Create("artifacts/app.bin", 3 * PartSize);
        var variables = StoreEnvironment.Variables(store, store.Endpoint);
        variables["OBS_SECURITY_TOKEN"] = token;
        variables["WRONG_SECRET"] = wrongSecret;

        using var run = await script.RunAsync(variables, $"--bucket={store.Bucket}", $"--prefix={LocalObjectStore.UniqueKey("")}", "--verbosity=diagnostic");

        Assert.Contains("Uploaded 1 of 1 file(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("SignatureDoesNotMatch", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(store.SecretAccessKey, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, run.Output, StringComparison.Ordinal);
    }

    /// <summary>A proxy in front of the store that holds every part's answer for ten minutes: an upload through it stays
    /// under way until the script is stopped.</summary>
    private static FaultInjectingProxy HoldingPartAnswers(LocalObjectStore store)
    {
        var proxy = new FaultInjectingProxy(store.Endpoint);
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(10)).ForMethod("PUT").WithQueryParameter("partNumber"));
        return proxy;
    }

    /// <summary>Waits until the script has started the multipart upload of <paramref name="key"/> (its start line comes
    /// after Initiate's answer) and the store lists it.</summary>
    private static async Task WaitForUploadOnServerAsync(RunningProcess run, LocalObjectStore store, string key)
    {
        await run.WaitForLineAsync(line => line.StartsWith("Uploading artifacts/big.bin (", StringComparison.Ordinal));
        await store.WaitForUnfinishedUploadAsync(key);
    }

    private static List<string[]> Results(RunningProcess run) =>
        run.Output.Split('\n').Where(line => line.StartsWith("RESULT|", StringComparison.Ordinal)).Select(line => line.Split('|')[1..]).ToList();
}
