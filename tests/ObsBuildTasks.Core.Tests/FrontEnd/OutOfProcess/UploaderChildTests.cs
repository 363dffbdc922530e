using System.IO.Pipes;
using System.Text;
using System.Text.Json;
using ObsBuildTasks.FrontEnd;
using ObsBuildTasks.FrontEnd.OutOfProcess;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.FrontEnd.OutOfProcess;

/// <summary>The uploader process's side, run here through pipes: it reads one order, uploads with what the order carries,
/// sends everything back as messages, and cancels on a cancel line or when its input ends.</summary>
public sealed class UploaderChildTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly MemoryStream _output = new();

    [Fact]
    public async Task The_order_runs_with_the_environment_it_carries_and_its_result_is_the_last_line()
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        var path = _files.Create("app.zip", 3 * UploadFileRequest.MinPartSize + 5);
        var prefix = LocalObjectStore.UniqueKey("child") + "/";
        // Nothing of this is in this process's environment: only the order carries it.
        var order = Order(store, prefix, path, new Dictionary<string, string?> { ["HTTP_PROXY"] = proxy.Endpoint.ToString() });
        using var input = new OrderInput();

        var run = UploaderChild.RunAsync(input.Stream, _output);
        await input.SendAsync(JsonSerializer.Serialize(order, UploaderJsonContext.Default.UploadOrder));
        var exitCode = await run;

        var messages = Messages();
        Assert.Equal(UploaderChild.Uploaded, exitCode);
        Assert.Equal(UploaderMessageKind.Started, messages[0].Kind);
        var result = Assert.Single(messages[^1].Outcomes!).Result;
        Assert.Equal(prefix + "app.zip", result!.ObjectKey);
        Assert.Equal((TestFiles.Md5(path), new FileInfo(path).Length), await store.Reader.HashObjectAsync(store.Bucket, prefix + "app.zip"));
        Assert.Contains(proxy.Requests, request => request.Method == "PUT");
        Assert.Contains(messages, message => message.Kind == UploaderMessageKind.Line && message.Text!.StartsWith("Uploaded app.zip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task It_tells_its_CPU_time_and_peak_memory_before_the_result()
    {
        using var input = new OrderInput();
        var order = new UploadOrder(new UploadSettings { Bucket = "bucket" }, [new UploadFileSpec(Path.Combine(_files.Root, "gone.zip"))], _files.Root,
            new Dictionary<string, string?>(), ReportProgress: false);

        var run = UploaderChild.RunAsync(input.Stream, _output);
        await input.SendAsync(JsonSerializer.Serialize(order, UploaderJsonContext.Default.UploadOrder));
        await run;

        var messages = Messages();
        Assert.Equal(LineImportance.Low, messages[^2].Importance);
        Assert.Matches(@"^obs-uploader used \d+\.\d\d s CPU, peak memory \d+\.\d [MG]iB\.$", messages[^2].Text);
        Assert.Equal(UploaderMessageKind.Result, messages[^1].Kind);
    }

    [Fact]
    public async Task Without_an_order_it_says_it_started_and_ends_with_exit_code_2()
    {
        using var input = new OrderInput();

        var run = UploaderChild.RunAsync(input.Stream, _output);
        input.End();

        Assert.Equal(UploaderChild.NoOrder, await run);
        Assert.Equal([UploaderMessageKind.Started], Messages().Select(message => message.Kind));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_cancel_line_or_the_end_of_its_input_cancels_and_aborts_the_multipart_upload(bool inputEnds)
    {
        var store = await LocalObjectStore.GetAsync();
        await using var proxy = new FaultInjectingProxy(store.Endpoint);
        proxy.AddRule(FaultRule.NeverRespond().ForMethod("PUT").WithQueryParameter("partNumber"));
        var path = _files.Create("stalled.zip", 3 * UploadFileRequest.MinPartSize);
        var prefix = LocalObjectStore.UniqueKey("cancelled") + "/";
        var order = Order(store, prefix, path, new Dictionary<string, string?> { ["HTTP_PROXY"] = proxy.Endpoint.ToString() });
        using var input = new OrderInput();

        var run = UploaderChild.RunAsync(input.Stream, _output);
        await input.SendAsync(JsonSerializer.Serialize(order, UploaderJsonContext.Default.UploadOrder));
        await store.WaitForUnfinishedUploadAsync(prefix + "stalled.zip");
        if (inputEnds)
        {
            input.End();
        }
        else
        {
            await input.SendAsync(UploaderChild.CancelLine);
        }

        Assert.Equal(UploaderChild.NotUploaded, await run);
        Assert.Equal(DiagnosticCode.CancelledWithoutCheckpoint.Id, Messages()[^1].Cancellation?.Code);
        Assert.Empty(await store.UnfinishedUploadsAsync(prefix + "stalled.zip"));
    }

    public void Dispose()
    {
        _files.Dispose();
        _output.Dispose();
    }

    private List<UploaderMessage> Messages() =>
        [.. Encoding.UTF8.GetString(_output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => UploaderMessage.Parse(line)!)];

    private UploadOrder Order(LocalObjectStore store, string prefix, string path, Dictionary<string, string?> environment)
    {
        environment[UploadEnvironment.EndpointVariable] = store.Endpoint.ToString();
        environment[UploadEnvironment.AccessKeyIdVariable] = store.AccessKeyId;
        environment[UploadEnvironment.SecretAccessKeyVariable] = store.SecretAccessKey;
        var settings = new UploadSettings
        {
            Bucket = store.Bucket, ObjectKeyPrefix = prefix, PartSize = UploadFileRequest.MinPartSize, TaskNum = 2, EnableCheckpoint = false,
        };
        return new UploadOrder(settings, [new UploadFileSpec(path)], _files.Root, environment, ReportProgress: false);
    }

    /// <summary>The uploader's standard input: a pipe the test writes lines to and can close.</summary>
    private sealed class OrderInput : IDisposable
    {
        private readonly AnonymousPipeServerStream _writer = new(PipeDirection.Out);

        public OrderInput() => Stream = new AnonymousPipeClientStream(PipeDirection.In, _writer.ClientSafePipeHandle);

        public Stream Stream { get; }

        public async Task SendAsync(string line)
        {
            await _writer.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            await _writer.FlushAsync();
        }

        public void End() => _writer.Dispose();

        public void Dispose()
        {
            _writer.Dispose();
            Stream.Dispose();
        }
    }
}
