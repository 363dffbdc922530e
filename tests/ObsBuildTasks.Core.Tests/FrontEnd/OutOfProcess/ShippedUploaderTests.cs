using System.Runtime.Versioning;
using ObsBuildTasks.FrontEnd;
using ObsBuildTasks.FrontEnd.OutOfProcess;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Tests.Integration;

namespace ObsBuildTasks.Tests.FrontEnd.OutOfProcess;

/// <summary>The two builds of obs-uploader the build puts beside the engine (eng/NativeUploader.targets), for
/// x86-64-v3 and x86-64-v4: each uploads a file exactly, and the front end starts the best one the processor runs.</summary>
[SupportedOSPlatform("linux")]
public sealed class ShippedUploaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    /// <summary>The builds this processor runs: both where it has AVX-512, else the x86-64-v3 one.</summary>
    public static TheoryData<string> BuildsThisProcessorRuns =>
        UploaderProcess.RunsX86_64V4 ? [UploaderProcess.FileName, UploaderProcess.X86_64V4FileName] : [UploaderProcess.FileName];

    /// <summary>The runner's output: the engine with both builds beside it (this assembly's folder has none).</summary>
    private static string EngineDirectory => RunnerBuild.OutputFolder;

    [Theory]
    [MemberData(nameof(BuildsThisProcessorRuns))]
    public async Task Shipped_build_uploads_a_file_exactly_in_a_process_of_its_own(string fileName)
    {
        var store = await LocalObjectStore.GetAsync();
        var uploader = new UploaderProcess(Path.Combine(Path.GetDirectoryName(UploaderProcess.PathFor(EngineDirectory))!, fileName));
        var reporter = new RecordingReporter();
        var file = _files.Create("app.zip", 300_000);
        var settings = new UploadSettings
        {
            Bucket = store.Bucket, Endpoint = store.Endpoint.ToString(), ObjectKeyPrefix = LocalObjectStore.UniqueKey(fileName) + "/",
            EnableCheckpoint = false, PartSize = 100 * 1024, TaskNum = 2,
        };
        Dictionary<string, string> variables = new() { ["OBS_ACCESS_KEY_ID"] = store.AccessKeyId, ["OBS_SECRET_ACCESS_KEY"] = store.SecretAccessKey };
        var job = UploadJob.Prepare(settings, [new UploadFileSpec("app.zip")], new UploadEnvironment(variables.GetValueOrDefault), _files.Root, out var problems);
        Assert.Empty(problems);

        var result = await uploader.RunAsync(job!, reporter, CancellationToken.None);

        Assert.True(result!.Succeeded, string.Join('\n', reporter.Errors.Select(error => error.Message)));
        Assert.Contains(reporter.Lines, line => line.Text.StartsWith("obs-uploader used ", StringComparison.Ordinal));
        Assert.Equal((TestFiles.Md5(file), 300_000L), await store.Reader.HashObjectAsync(store.Bucket, settings.ObjectKeyPrefix + "app.zip"));
    }

    [Fact]
    public void Front_end_starts_the_x86_64_v4_build_where_the_processor_has_AVX_512()
    {
        var uploader = UploaderProcess.Find(EngineDirectory, out var whyNot);

        Assert.Null(whyNot);
        Assert.Equal(UploaderProcess.RunsX86_64V4 ? UploaderProcess.X86_64V4FileName : UploaderProcess.FileName, Path.GetFileName(uploader!.ExecutablePath));
    }

    [Fact]
    public void Front_end_starts_the_x86_64_v3_build_when_the_x86_64_v4_one_is_missing()
    {
        var baseline = Path.Combine(_files.Root, "uploader", "linux-x64", UploaderProcess.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(baseline)!);
        File.WriteAllText(baseline, "#!/bin/sh\n");

        var uploader = UploaderProcess.Find(_files.Root, out var whyNot);

        Assert.Null(whyNot);
        Assert.Equal(baseline, uploader!.ExecutablePath);
    }

    public void Dispose() => _files.Dispose();
}
