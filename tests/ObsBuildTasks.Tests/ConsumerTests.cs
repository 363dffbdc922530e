using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ObsBuildTasks.MSBuild.Tests.Infrastructure;
using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.MSBuild.Tests;

/// <summary>The packed package as users get it, in fresh projects built with the dotnet CLI: the task used directly,
/// the shipped <c>ObsUploadArtifacts</c> target, what the default loggers show, the default path to both kinds of
/// store, and a hostile server meeting the package. What is inside the package: <see cref="PackageContentTests"/>.</summary>
[Collection(MSBuildTests.Name)]
public sealed partial class ConsumerTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage _package;

    public ConsumerTests(PackedPackage package) => _package = package;

    [Fact]
    public async Task Fresh_consumer_restores_the_package_from_a_folder_feed_and_uploads_with_the_task()
    {
        var store = await LocalObjectStore.GetAsync();
        var prefix = LocalObjectStore.UniqueKey("consumer") + "/";
        using var project = new ConsumerProject(_package, $"""
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <Artifacts Include="dist/**/*" />
              </ItemGroup>
              <Target Name="Upload">
                <ObsUploadFile Bucket="{store.Bucket}" Files="@(Artifacts)" ObjectKeyPrefix="{prefix}" PartSize="102400" TaskNum="2" />
              </Target>
            """);
        var file = project.CreateFile("dist/app.zip", 300_000);

        var (exitCode, output) = await project.RunAsync(Environment(store, store.Endpoint), "msbuild", "-restore", "-t:Upload", "-nologo", "-v:n");

        Assert.True(exitCode == 0, output);
        Assert.True(project.RestoredThePackage(), output);
        Assert.Equal((TestFiles.Md5(file), 300_000L), await store.Reader.HashObjectAsync(store.Bucket, prefix + "app.zip"));
    }

    [Fact]
    public async Task Multi_targeted_project_with_ObsUploadAfterBuild_uploads_each_artifact_once_keeping_its_folder()
    {
        using var build = await BuildMultiTargetedAsync("multi", """
              <Target Name="ShowUploaded" AfterTargets="ObsUploadArtifacts">
                <Message Importance="high" Text="UPLOADED|%(ObsUploadedFile.RecursiveDir)|%(ObsUploadedFile.ObjectKey)|%(ObsUploadedFile.Channel)" />
              </Target>
            """, ["build", "-tl:off", "-v:m", "-nologo"]);

        Assert.True(build.ExitCode == 0, build.Output);
        string[] keys = [build.Prefix + "net10.0/Consumer.dll", build.Prefix + "net9.0/Consumer.dll"];
        Assert.Equal(keys, build.PutKeys);
        Assert.Single(Lines(build.Output), line => line.StartsWith("Uploaded 2 of 2 file(s)", StringComparison.Ordinal));
        Assert.Equal([$"UPLOADED|net10.0/|{keys[0]}|nightly", $"UPLOADED|net9.0/|{keys[1]}|nightly"],
            Lines(build.Output).Where(line => line.StartsWith("UPLOADED|", StringComparison.Ordinal)).Order());
        await AssertBuiltFilesStoredAsync(build, "net9.0", "net10.0");
    }

    [Fact]
    public async Task Multi_targeted_project_built_for_one_framework_uploads_after_that_build()
    {
        // No outer build runs: the build of net10.0 is the whole build.
        using var build = await BuildMultiTargetedAsync("one-framework", "", ["build", "-f", "net10.0", "-tl:off", "-v:m", "-nologo"]);

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Equal([build.Prefix + "net10.0/Consumer.dll"], build.PutKeys);
        Assert.Single(Lines(build.Output), line => line.StartsWith("Uploaded 1 of 1 file(s)", StringComparison.Ordinal));
        await AssertBuiltFilesStoredAsync(build, "net10.0");
    }

    [Fact]
    public async Task Frameworks_ProjectReferences_build_before_the_outer_build_upload_once_and_the_outer_build_skips_those_files()
    {
        // A traversal that builds, in turn, two projects whose references build Consumer for net10.0 and then net9.0
        // alone, and then Consumer.
        using var build = await BuildMultiTargetedAsync("references-first", """
              <PropertyGroup>
                <DefaultItemExcludes>$(DefaultItemExcludes);App-*/**</DefaultItemExcludes>
              </PropertyGroup>
            """, ["msbuild", "build.proj", "-restore", "-v:m", "-nologo"], project =>
            {
                project.WriteFile("App-net10.0/App.csproj", ReferencingProject("net10.0"));
                project.WriteFile("App-net9.0/App.csproj", ReferencingProject("net9.0"));
                project.WriteFile("build.proj", """
                    <Project DefaultTargets="Build">
                      <Target Name="Restore">
                        <MSBuild Projects="App-net10.0/App.csproj;App-net9.0/App.csproj" Targets="Restore" />
                      </Target>
                      <Target Name="Build">
                        <MSBuild Projects="App-net10.0/App.csproj;App-net9.0/App.csproj;Consumer.csproj" Targets="Build" />
                      </Target>
                    </Project>
                    """);
            });

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Equal([build.Prefix + "net10.0/Consumer.dll", build.Prefix + "net9.0/Consumer.dll"], build.PutKeys);
        Assert.Equal(["Uploaded 1 of 1 file(s)", "Uploaded 2 of 2 file(s)"],
            Lines(build.Output).Where(line => line.StartsWith("Uploaded ", StringComparison.Ordinal) && line.Contains(" to bucket ", StringComparison.Ordinal))
                .Select(line => line[..line.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.Contains(Lines(build.Output), line => line.StartsWith("Uploaded 2 of 2 file(s)", StringComparison.Ordinal)
            && line.Contains(": 1 uploaded, 0 resumed, 1 skipped, 0 failed;", StringComparison.Ordinal));
        await AssertBuiltFilesStoredAsync(build, "net9.0", "net10.0");

        static string ReferencingProject(string framework) => $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{framework}</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
                <CheckEolTargetFramework>false</CheckEolTargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Consumer.csproj" />
              </ItemGroup>
            </Project>
            """;
    }

    [Theory]
    [InlineData("-tl:off", "-v:m")]
    [InlineData("-tl:on", "-tlp:v=d")]
    public async Task Default_loggers_show_each_file_start_progress_and_end_with_speed(string logger, string verbosity)
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        // Slow parts, so that the upload lasts long enough for progress lines.
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMilliseconds(60)).ForMethod("PUT").WithQueryParameter("partNumber"));
        using var project = UploadingProject(store, "<ObsProgressInterval>0.2</ObsProgressInterval><ObsPartSize>102400</ObsPartSize>");
        project.CreateFile("dist/big.bin", 30 * 102_400);

        var (exitCode, output) = await project.RunAsync(Environment(store, proxy.Endpoint), "msbuild", "-restore", "-t:ObsUploadArtifacts", logger, verbosity, "-nologo");

        Assert.True(exitCode == 0, output);
        var lines = Lines(output);
        Assert.Contains(lines, line => Regex.IsMatch(line, @"^Uploading dist/big\.bin \(2\.9 MiB\) to obs-tests/\S+ in 30 parts of 100\.0 KiB\.$"));
        Assert.Contains(lines, line => Regex.IsMatch(line, @"^Uploading to obs-tests: [1-9][0-9]?% \([0-9.]+ [KM]iB of 2\.9 MiB\) at [0-9.]+ [KM]iB/s, about [0-9]+ s left\.$"));
        Assert.Contains(lines, line => Regex.IsMatch(line, @"^Uploaded dist/big\.bin to \S+ in [0-9.]+ s at [0-9.]+ [KM]iB/s: 30 part\(s\) sent; ETag [0-9a-f]{32}-30\.$"));
        Assert.Contains(lines, line => line.StartsWith("Uploaded 1 of 1 file(s) (2.9 MiB) to bucket obs-tests in ", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_Signature_or_Region_one_project_uploads_the_same_bytes_to_the_obs_front_and_to_the_S3_store()
    {
        var store = await LocalObjectStore.GetAsync();
        var front = await LocalObsFront.GetAsync();
        using var project = UploadingProject(store, "");
        var file = project.CreateFile("dist/app.zip", 250_000);
        var (frontPrefix, storePrefix) = (LocalObjectStore.UniqueKey("front") + "/", LocalObjectStore.UniqueKey("store") + "/");
        var frontEnvironment = new Dictionary<string, string?>
        {
            ["OBS_ENDPOINT"] = front.Endpoint.ToString(),
            ["OBS_ACCESS_KEY_ID"] = front.AccessKeyId,
            ["OBS_SECRET_ACCESS_KEY"] = front.SecretAccessKey,
            ["OBS_SECURITY_TOKEN"] = null,
        };

        var toFront = await project.RunAsync(frontEnvironment, "msbuild", "-restore", "-t:ObsUploadArtifacts", "-v:n", "-nologo", $"-p:ObsObjectKeyPrefix={frontPrefix}");
        var toStore = await project.RunAsync(Environment(store, store.Endpoint), "msbuild", "-t:ObsUploadArtifacts", "-v:n", "-nologo", $"-p:ObsObjectKeyPrefix={storePrefix}");

        Assert.True(toFront.ExitCode == 0, toFront.Output);
        Assert.True(toStore.ExitCode == 0, toStore.Output);
        Assert.True(project.RestoredThePackage());
        Assert.Contains("signing with Obs (the service answered the protocol probe with x-obs-api: 3.0)", toFront.Output, StringComparison.Ordinal);
        Assert.Contains("signing with V4 in region us-east-1", toStore.Output, StringComparison.Ordinal);
        foreach (var prefix in new[] { frontPrefix, storePrefix })
        {
            Assert.Equal((TestFiles.Md5(file), 250_000L), await store.Reader.HashObjectAsync(store.Bucket, prefix + "app.zip"));
        }
    }

    [Fact]
    public async Task Both_upload_hooks_fail_the_build_before_anything_is_sent()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        using var project = UploadingProject(store, "<ObsUploadAfterBuild>true</ObsUploadAfterBuild><ObsUploadAfterPack>true</ObsUploadAfterPack>");
        project.CreateFile("dist/app.zip", 1000);

        var (exitCode, output) = await project.RunAsync(Environment(store, proxy.Endpoint), "pack", "-tl:off", "-v:m", "-nologo");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error OBS0017: ObsUploadAfterBuild and ObsUploadAfterPack are both true", output, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task A_retry_warning_promoted_to_an_error_does_not_fail_the_task_that_uploaded()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        proxy.AddRule(FaultRule.RespondWithError(503, "SlowDown").ForMethod("PUT").First(1));
        using var project = UploadingProject(store, "");
        project.CreateFile("dist/app.zip", 1000);

        var (exitCode, output) = await project.RunAsync(Environment(store, proxy.Endpoint), "msbuild", "-restore", "-t:ObsUploadArtifacts", "-v:d", "-nologo",
            "-p:MSBuildTreatWarningsAsErrors=true");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error OBS0040:", output, StringComparison.Ordinal);
        Assert.Contains("Done executing task \"ObsUploadFile\".", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Done executing task \"ObsUploadFile\" -- FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_answers_fail_the_build_with_a_coded_error_and_no_stack_trace()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        proxy.AddRule(FaultRule.RespondWithXml("<InitiateMultipartUploadResult><Up").ForMethod("POST").WithQueryParameter("uploads"));
        using var project = UploadingProject(store, "<ObsPartSize>102400</ObsPartSize><ObsMaxRetries>1</ObsMaxRetries>");
        project.CreateFile("dist/app.zip", 250_000);

        var (exitCode, output) = await project.RunAsync(Environment(store, proxy.Endpoint), "msbuild", "-restore", "-t:ObsUploadArtifacts", "-v:m", "-nologo");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error OBS0032: Uploading dist/app.zip to obs-tests/", output, StringComparison.Ordinal);
        Assert.Contains("InitiateMultipartUpload: the service's answer cannot be used: it is not a complete XML document", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MSB4018", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_the_build_within_the_idle_timeout_naming_it()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        proxy.AddRule(FaultRule.NeverRespond().WithoutQueryParameter("apiversion"));
        using var project = UploadingProject(store, "<ObsIdleTimeout>1</ObsIdleTimeout><ObsMaxRetries>1</ObsMaxRetries>");
        project.CreateFile("dist/app.zip", 1000);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (exitCode, output) = await project.RunAsync(Environment(store, proxy.Endpoint), "msbuild", "-restore", "-t:ObsUploadArtifacts", "-v:m", "-nologo");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error OBS0024:", output, StringComparison.Ordinal);
        Assert.Contains("PutObject: nothing moved for 1 s while waiting for the answer", output, StringComparison.Ordinal);
        Assert.Contains("raise IdleTimeout (seconds) or MaxRetries", output, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task SIGTERM_mid_upload_without_checkpoints_aborts_the_upload_and_fails_the_task_with_OBS0031()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        var prefix = LocalObjectStore.UniqueKey("consumer") + "/";
        using var stalled = await StartStalledUploadAsync(store, proxy, prefix);
        var build = stalled.Build;
        await build.SendAsync(PosixSignal.SIGTERM);
        await build.WaitForExitAsync();

        // Not the exit code: the .NET CLI ends with 0 after a SIGTERM, whatever the build did (docs/msbuild.md).
        Assert.Contains("SIGTERM received: stopping the upload to OBS bucket", build.Output, StringComparison.Ordinal);
        Assert.Contains("error OBS0031: The upload was cancelled. EnableCheckpoint is false, so the unfinished uploads were aborted", build.Output, StringComparison.Ordinal);
        // Not MSBuild's "-- FAILED." summary either: once the task returns, the CLI's own SIGTERM handling ends the process,
        // at times before MSBuild writes it.
        Assert.Empty(await store.UnfinishedUploadsAsync(prefix + "app.bin"));
    }

    [Fact]
    public async Task A_build_killed_mid_upload_without_checkpoints_leaves_no_upload_behind_as_the_uploader_process_aborts_it()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        var prefix = LocalObjectStore.UniqueKey("consumer") + "/";
        using var stalled = await StartStalledUploadAsync(store, proxy, prefix);

        await stalled.Build.KillAloneAsync();

        // The obs-uploader process sees its input end and aborts; a build uploading in its own process could not.
        await store.WaitForNoUnfinishedUploadAsync(prefix + "app.bin");
    }

    /// <summary>Starts a build whose upload of a three-part file without checkpoints stalls (the parts get no answer)
    /// once the store lists its multipart upload.</summary>
    private async Task<StalledBuild> StartStalledUploadAsync(LocalObjectStore store, FaultInjectingProxy proxy, string prefix)
    {
        proxy.AddRule(FaultRule.DelayResponse(TimeSpan.FromMinutes(10)).ForMethod("PUT").WithQueryParameter("partNumber"));
        var project = UploadingProject(store, "<ObsPartSize>102400</ObsPartSize><ObsEnableCheckpoint>false</ObsEnableCheckpoint>", prefix);
        project.CreateFile("dist/app.bin", 3 * 102400);

        // -m:1: the task runs in the process that a CI runner cancelling the job signals (dotnet's own).
        var stalled = new StalledBuild(project,
            project.Start(Environment(store, proxy.Endpoint), "msbuild", "-restore", "-t:ObsUploadArtifacts", "-m:1", "-v:n", "-nologo"));
        await stalled.Build.WaitForLineAsync(line => line.Contains("Uploading dist/app.bin (", StringComparison.Ordinal));
        await store.WaitForUnfinishedUploadAsync(prefix + "app.bin");
        return stalled;
    }

    private ConsumerProject UploadingProject(LocalObjectStore store, string properties, string? prefix = null) => new(_package, $"""
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ObsBucket>{store.Bucket}</ObsBucket>
            <ObsObjectKeyPrefix>{prefix ?? LocalObjectStore.UniqueKey("consumer") + "/"}</ObsObjectKeyPrefix>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            <ObsArtifact Include="dist/" />
          </ItemGroup>
        """);

    /// <summary>Builds a fresh project for net9.0 and net10.0 that uploads its built Consumer.dll files after Build
    /// (<paramref name="more"/> goes into it; <paramref name="arrange"/> adds files beside it), with
    /// <c>dotnet</c> <paramref name="arguments"/>, through a proxy that records the requests.</summary>
    private async Task<MultiTargetedBuild> BuildMultiTargetedAsync(string name, string more, string[] arguments, Action<ConsumerProject>? arrange = null)
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        var prefix = LocalObjectStore.UniqueKey(name) + "/";
        var project = new ConsumerProject(_package, $"""
              <PropertyGroup>
                <TargetFrameworks>net9.0;net10.0</TargetFrameworks>
                <ObsUploadAfterBuild>true</ObsUploadAfterBuild>
                <ObsBucket>{store.Bucket}</ObsBucket>
                <ObsObjectKeyPrefix>{prefix}</ObsObjectKeyPrefix>
              </PropertyGroup>
              <ItemGroup>
                <!-- A folder that the build fills: its files are found when the target runs. -->
                <ObsArtifact Include="bin/$(Configuration)/" FileMatch="Consumer.dll" Channel="nightly" />
              </ItemGroup>
            {more}
            """);
        arrange?.Invoke(project);
        var (exitCode, output) = await project.RunAsync(Environment(store, proxy.Endpoint), arguments);
        var putKeys = proxy.Requests.Where(r => r.Method == "PUT").Select(r => Uri.UnescapeDataString(r.PathAndQuery[(store.Bucket.Length + 2)..])).Order();
        return new MultiTargetedBuild(project, prefix, exitCode, output, [.. putKeys]);
    }

    /// <summary>Asserts that the Consumer.dll built for each of <paramref name="frameworks"/> is stored under its folder.</summary>
    private static async Task AssertBuiltFilesStoredAsync(MultiTargetedBuild build, params string[] frameworks)
    {
        var store = await LocalObjectStore.GetAsync();
        foreach (var framework in frameworks)
        {
            var built = Path.Combine(build.Project.Directory, "bin", "Debug", framework, "Consumer.dll");
            Assert.Equal((TestFiles.Md5(built), new FileInfo(built).Length), await store.Reader.HashObjectAsync(store.Bucket, $"{build.Prefix}{framework}/Consumer.dll"));
        }
    }

    private static Dictionary<string, string?> Environment(LocalObjectStore store, Uri endpoint) =>
        EnvironmentScope.StoreCredentials(store, endpoint: endpoint.ToString());

    /// <summary>The output's lines, trimmed, without the terminal logger's escape sequences.</summary>
    private static List<string> Lines(string output) =>
        [.. AnsiEscape().Replace(output, "").Split('\n').Select(line => line.Trim())];

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b\x07]*(\x1b\\|\x07)")]
    private static partial Regex AnsiEscape();

    /// <summary>A built project, the key prefix it uploaded to, the build's exit code and output, and the keys of its
    /// PUT requests (parts and whole objects), sorted.</summary>
    private sealed record MultiTargetedBuild(ConsumerProject Project, string Prefix, int ExitCode, string Output, IReadOnlyList<string> PutKeys)
        : IDisposable
    {
        public void Dispose() => Project.Dispose();
    }

    /// <summary>A project and its running build.</summary>
    private sealed record StalledBuild(ConsumerProject Project, RunningProcess Build) : IDisposable
    {
        public void Dispose()
        {
            Build.Dispose();
            Project.Dispose();
        }
    }
}
