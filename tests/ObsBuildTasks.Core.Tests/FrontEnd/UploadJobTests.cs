using ObsBuildTasks.FrontEnd;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.FrontEnd;

/// <summary>Preparing a call: everything wrong is reported at once with its code, the environment fills what the settings
/// leave open, and each file gets its key, request and checkpoint.</summary>
public sealed class UploadJobTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_code()
    {
        var settings = new UploadSettings { Bucket = "Bad_Bucket", Signature = "V3", PartSize = 1, MetadataText = "nonsense" };
        UploadFileSpec[] files = [new("a/app.zip"), new("b/app.zip"), new("missing.zip")];
        _files.Create("a/app.zip", 10);
        _files.Create("b/app.zip", 10);

        var job = UploadJob.Prepare(settings, files, new UploadEnvironment(_ => null), _files.Root, out var problems);

        Assert.Null(job);
        Assert.Equal(
            new[] { DiagnosticCode.NoEndpoint, DiagnosticCode.MissingCredentials, DiagnosticCode.InvalidSignature, DiagnosticCode.DuplicateObjectKey, DiagnosticCode.InvalidMetadata,
                DiagnosticCode.InvalidBucketName, DiagnosticCode.PartSizeOutOfRange, DiagnosticCode.FileNotFound }.Select(code => code.Id).Order(),
            problems.Select(problem => problem.Code.Id).Distinct().Order());
        // One problem shared by every file (the bucket) is reported once.
        Assert.Single(problems, problem => problem.Code == DiagnosticCode.InvalidBucketName);
    }

    [Fact]
    public void Environment_supplies_endpoint_and_credentials_that_the_settings_leave_open()
    {
        _files.Create("app.zip", 10);
        var variables = new Dictionary<string, string>
        {
            ["OBS_ENDPOINT"] = "https://obs.example.com",
            ["OBS_ACCESS_KEY_ID"] = "env-ak",
            ["OBS_SECRET_ACCESS_KEY"] = "env-sk",
            ["OBS_SECURITY_TOKEN"] = "env-token",
        };
        var settings = new UploadSettings { Bucket = "bucket", AccessKeyId = "explicit-ak" };

        var job = Prepare(settings, variables, new UploadFileSpec("app.zip"));

        Assert.Equal(("https://obs.example.com", "explicit-ak", "env-sk", "env-token"),
            (job.ClientOptions.Endpoint, job.ClientOptions.AccessKeyId, job.ClientOptions.SecretAccessKey, job.ClientOptions.SecurityToken));
    }

    [Fact]
    public void Checkpoints_go_under_obj_obs_of_the_base_folder_one_per_endpoint_bucket_key_and_file()
    {
        _files.Create("dist/a.zip", 10);
        _files.Create("dist/b.zip", 10);

        var job = Prepare(new UploadSettings { Bucket = "bucket", Endpoint = "http://127.0.0.1:9" }, null,
            new UploadFileSpec("dist/a.zip"), new UploadFileSpec("dist/b.zip"));

        Assert.Equal(Path.Combine(_files.Root, "obj", "obs"), job.CheckpointDirectory);
        Assert.All(job.Requests, request => Assert.Equal(job.CheckpointDirectory, Path.GetDirectoryName(request.CheckpointFile)));
        Assert.NotEqual(job.Requests[0].CheckpointFile, job.Requests[1].CheckpointFile);
        Assert.Equal(job.Requests[0].CheckpointFileIn(job.CheckpointDirectory!, "http://127.0.0.1:9"), job.Requests[0].CheckpointFile);
    }

    [Fact]
    public void Without_checkpoints_no_checkpoint_file_is_named()
    {
        _files.Create("app.zip", 10);

        var job = Prepare(new UploadSettings { Bucket = "bucket", Endpoint = "http://127.0.0.1:9", EnableCheckpoint = false }, null, new UploadFileSpec("app.zip"));

        Assert.Null(job.CheckpointDirectory);
        Assert.All(job.Requests, request => Assert.False(request.EnableCheckpoint));
    }

    [Fact]
    public void Each_request_carries_the_call_options_and_the_file_own_content_type()
    {
        _files.Create("app.zip", 10);
        var settings = new UploadSettings
        {
            Bucket = "bucket", Endpoint = "http://127.0.0.1:9", PartSize = 200_000, TaskNum = 3, CheckSum = true, SkipUnchanged = true,
            ContentType = "application/x-call", Acl = "private", StorageClass = "WARM", MetadataText = "build=7",
        };

        var request = Assert.Single(Prepare(settings, null, new UploadFileSpec("app.zip", ContentType: "application/x-file")).Requests);

        Assert.Equal((200_000L, 3, true, true), (request.PartSize, request.TaskNum, request.CheckSum, request.SkipUnchanged));
        Assert.Equal(("application/x-file", "private", "WARM"), (request.Headers.ContentType, request.Headers.Acl, request.Headers.StorageClass));
        Assert.Equal("7", request.Metadata["build"]);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1)]
    [InlineData(1e300)]
    public void Progress_interval_that_is_no_time_span_is_a_coded_problem(double seconds)
    {
        _files.Create("app.zip", 10);
        var settings = new UploadSettings { Bucket = "bucket", Endpoint = "http://127.0.0.1:9", AccessKeyId = "ak", SecretAccessKey = "sk", HeartbeatSeconds = seconds };

        var job = UploadJob.Prepare(settings, [new UploadFileSpec("app.zip")], new UploadEnvironment(_ => null), _files.Root, out var problems);

        Assert.Null(job);
        Assert.Contains("ProgressInterval", Assert.Single(problems, problem => problem.Code == DiagnosticCode.InvalidOption).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_gone_between_preparing_and_running_fails_the_call_with_its_code()
    {
        var path = _files.Create("app.zip", 10);
        var job = Prepare(new UploadSettings { Bucket = "bucket", Endpoint = "http://127.0.0.1:9", AccessKeyId = "ak", SecretAccessKey = "sk" }, null,
            new UploadFileSpec("app.zip"));
        File.Delete(path);
        var reporter = new RecordingReporter();

        var result = await job.RunHereAsync(reporter, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(DiagnosticCode.FileNotFound, Assert.Single(reporter.Errors).Code);
    }

    public void Dispose() => _files.Dispose();

    private UploadJob Prepare(UploadSettings settings, Dictionary<string, string>? variables, params UploadFileSpec[] files)
    {
        var environment = new UploadEnvironment(name => name.StartsWith("OBS_", StringComparison.Ordinal) ? variables?.GetValueOrDefault(name) ?? Default(name) : null);
        var job = UploadJob.Prepare(settings, files, environment, _files.Root, out var problems);
        Assert.Empty(problems);
        return job!;
    }

    private static string? Default(string name) => name switch
    {
        "OBS_ACCESS_KEY_ID" => "ak",
        "OBS_SECRET_ACCESS_KEY" => "sk",
        _ => null,
    };
}
