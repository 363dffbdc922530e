using System.Runtime.Versioning;
using System.Text.Json;
using ObsBuildTasks.FrontEnd;
using ObsBuildTasks.FrontEnd.OutOfProcess;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.FrontEnd.OutOfProcess;

/// <summary>The front end's side, against stand-in uploaders (shell scripts that say what a real one would, or fail as
/// one could): an uploader that does not start is told nothing, one that dies fails every file with OBS0034, what it
/// says reaches the reporter and the progress callback, and cancelling the call tells it to stop.</summary>
[SupportedOSPlatform("linux")]
public sealed class UploaderProcessTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly RecordingReporter _reporter = new();

    [Fact]
    public async Task An_uploader_that_cannot_start_leaves_the_call_to_run_here_and_says_why()
    {
        var uploader = StandIn("echo 'cannot load libstdc++' >&2", "exit 127");

        var result = await uploader.RunAsync(Job(), _reporter, CancellationToken.None);

        Assert.Null(result);
        Assert.Contains(_reporter.Lines, line => line.Importance == LineImportance.Low
            && line.Text.Contains("exit code 127: cannot load libstdc++", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_uploader_that_does_not_say_it_started_is_sent_no_order_and_ended()
    {
        // Writes the order down if it gets one, then waits for a line that never comes.
        var uploader = new UploaderProcess(Script("read order", "printf '%s' \"$order\" > order.json", "read never"))
        {
            StartPatience = TimeSpan.FromMilliseconds(300),
        };

        var result = await uploader.RunAsync(Job(), _reporter, CancellationToken.None);

        Assert.Null(result);
        Assert.False(File.Exists(Path.Combine(_files.Root, "order.json")));
        Assert.Contains(_reporter.Lines, line => line.Text.Contains("ended by signal 9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_uploader_that_ends_without_a_result_fails_every_file_with_OBS0034_and_its_reason()
    {
        var job = Job("a.zip", "b.zip");
        var uploader = StandIn(Say(new UploaderMessage(UploaderMessageKind.Started)), "read order", "echo 'Segmentation fault' >&2", "exit 3");

        var result = await uploader.RunAsync(job, _reporter, CancellationToken.None);

        Assert.False(result!.Succeeded);
        Assert.All(result.Outcomes, outcome => Assert.False(outcome.Succeeded));
        Assert.Equal(job.Requests.Select(request => request.UploadFile), _reporter.Errors.Select(error => error.File));
        Assert.All(_reporter.Errors, error =>
        {
            Assert.Equal(DiagnosticCode.UploaderFailed, error.Code);
            Assert.Contains("exit code 3: Segmentation fault", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task What_the_uploader_says_reaches_the_reporter_and_the_progress_callback_and_its_result_is_the_call_result()
    {
        var progress = new List<FileProgressEvent>();
        var job = Job(onProgress: progress.Add);
        var stored = new CompleteMultipartUploadResult
        {
            BucketName = "bucket", ObjectKey = "app.zip", UploadFile = job.Requests[0].UploadFile, ETag = "abc-2", Location = new Uri("http://store/bucket/app.zip"),
            Size = 10, PartCount = 2, PartsUploaded = 2,
        };
        var uploader = StandIn(
            Say(new UploaderMessage(UploaderMessageKind.Started)),
            "read order", "printf '%s\\n' \"$order\" > order.json",
            Say(new UploaderMessage(UploaderMessageKind.Line) { Importance = LineImportance.Normal, Text = "Bucket bucket: signing with V4." }),
            Say(new UploaderMessage(UploaderMessageKind.Warning) { Diagnostic = new UploaderDiagnostic("OBS0040", "UploadPart of part 1 failed; retrying.", job.Requests[0].UploadFile) }),
            Say(new UploaderMessage(UploaderMessageKind.Progress) { Progress = new UploaderProgress(0, 5, 10, double.PositiveInfinity, 1.5) }),
            "echo 'a line that is not a message'",
            Say(new UploaderMessage(UploaderMessageKind.Result) { Outcomes = [new UploaderOutcome(stored)] }));

        var result = await uploader.RunAsync(job, _reporter, CancellationToken.None);

        Assert.True(result!.Succeeded);
        Assert.Equal("abc-2", Assert.Single(result.Outcomes).Result!.ETag);
        Assert.Contains((LineImportance.Normal, "Bucket bucket: signing with V4."), _reporter.Lines);
        Assert.Contains((LineImportance.Low, "obs-uploader: a line that is not a message"), _reporter.Lines);
        Assert.Equal(DiagnosticCode.RequestRetried, Assert.Single(_reporter.Warnings).Code);
        var told = Assert.Single(progress);
        Assert.Equal((job.Requests[0], 5L, 10L, TimeSpan.FromSeconds(1.5)), (told.Request, told.TransferredBytes, told.TotalBytes, told.Elapsed));
        var order = JsonSerializer.Deserialize(await File.ReadAllTextAsync(Path.Combine(_files.Root, "order.json")), UploaderJsonContext.Default.UploadOrder);
        Assert.True(order!.ReportProgress);
        Assert.Equal(job.Order.Files, order.Files);
    }

    [Fact]
    public async Task Cancelling_the_call_sends_the_uploader_a_cancel_line_and_its_cancellation_is_the_call_cancellation()
    {
        var job = Job();
        var uploader = StandIn(
            Say(new UploaderMessage(UploaderMessageKind.Started)),
            "read order",
            Say(new UploaderMessage(UploaderMessageKind.Line) { Importance = LineImportance.High, Text = "Uploading app.zip." }),
            "read next",
            $"[ \"$next\" = {UploaderChild.CancelLine} ] || exit 9",
            Say(new UploaderMessage(UploaderMessageKind.Result) { Outcomes = [], Cancellation = new UploaderDiagnostic("OBS0030", "The upload was cancelled.", null) }));
        using var cancellation = new CancellationTokenSource();

        var run = uploader.RunAsync(job, _reporter, cancellation.Token);
        await _reporter.WhenLineAsync(line => line == "Uploading app.zip.");
        await cancellation.CancelAsync();
        var result = await run;

        Assert.Equal(DiagnosticCode.Cancelled, result!.Cancellation?.Code);
        Assert.Empty(_reporter.Errors);
    }

    public void Dispose() => _files.Dispose();

    private static string Say(UploaderMessage message) => $"echo '{message.ToLine()}'";

    private UploaderProcess StandIn(params string[] script) => new(Script(script));

    /// <summary>An uploader that runs <paramref name="script"/> (sh) in the test folder.</summary>
    private string Script(params string[] script)
    {
        var path = Path.Combine(_files.Root, "obs-uploader");
        File.WriteAllText(path, string.Join('\n', ["#!/bin/sh", $"cd '{_files.Root}'", .. script]) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private UploadJob Job(params string[] names) => Job(null, names);

    private UploadJob Job(Action<FileProgressEvent>? onProgress, params string[] names)
    {
        names = names.Length == 0 ? ["app.zip"] : names;
        foreach (var name in names)
        {
            _files.Create(name, 10);
        }

        var settings = new UploadSettings { Bucket = "bucket", Endpoint = "http://127.0.0.1:9", AccessKeyId = "ak", SecretAccessKey = "sk", OnProgress = onProgress };
        var job = UploadJob.Prepare(settings, [.. names.Select(name => new UploadFileSpec(name))], new UploadEnvironment(_ => null), _files.Root, out var problems);
        Assert.Empty(problems);
        return job!;
    }
}
