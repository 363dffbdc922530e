using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using System.Text.Json;

namespace ObsBuildTasks.FrontEnd.OutOfProcess;

/// <summary>
/// Runs a call in the <c>obs-uploader</c> process: a native (ahead-of-time compiled) build of the engine shipped beside
/// it in the packages, so an upload compiles no code at run time and the build's own process (MSBuild's node, Cake)
/// gains no memory. The front end keeps everything users see: the uploader's lines, warnings, errors and progress are
/// relayed to its reporter as they come, and its outcome becomes the call's. Cancelling the call tells the uploader to
/// stop; if the front end's process dies, the uploader sees its input end and cancels by itself.
/// </summary>
internal sealed class UploaderProcess
{
    /// <summary>The uploader's file name.</summary>
    public const string FileName = "obs-uploader";

    /// <summary>The most of the uploader's error output a failure quotes.</summary>
    private const int QuotedErrorLength = 500;

    /// <param name="path">The uploader's executable.</param>
    public UploaderProcess(string path) => ExecutablePath = path;

    /// <summary>How long the uploader may take to say it started before it is ended and the call runs here.</summary>
    public TimeSpan StartPatience { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The file name of the build for x86-64-v4 (AVX-512), shipped beside the one for x86-64-v3 (AVX2).</summary>
    public const string X86_64V4FileName = FileName + "-x86-64-v4";

    /// <summary>Where the uploader is for this platform, beside the engine: <c>uploader/linux-x64/obs-uploader</c>,
    /// the build every x86-64-v3 processor runs.</summary>
    public static string? PathFor(string engineDirectory) =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? Path.Combine(engineDirectory, "uploader", "linux-x64", FileName)
            : null;

    /// <summary>Whether this processor runs the x86-64-v4 build: AVX-512 F, BW, CD, DQ and VL.</summary>
    public static bool RunsX86_64V4 =>
        Avx512F.VL.IsSupported && Avx512BW.VL.IsSupported && Avx512CD.VL.IsSupported && Avx512DQ.VL.IsSupported;

    /// <summary>The uploader shipped beside the engine in <paramref name="engineDirectory"/> that this processor runs
    /// best: the x86-64-v4 build where it has AVX-512 and the build is there, else the x86-64-v3 one; or
    /// <see langword="null"/> with why there is none.</summary>
    public static UploaderProcess? Find(string engineDirectory, out string? whyNot)
    {
        var path = PathFor(engineDirectory);
        whyNot = path is null ? $"No {FileName} is built for {RuntimeInformation.RuntimeIdentifier}"
            : !File.Exists(path) ? $"No {FileName} at '{path}'"
            : null;
        if (whyNot is not null)
        {
            return null;
        }

        var x86_64V4 = Path.Combine(Path.GetDirectoryName(path)!, X86_64V4FileName);
        return new UploaderProcess(RunsX86_64V4 && File.Exists(x86_64V4) ? x86_64V4 : path!);
    }

    /// <summary>The uploader shipped beside this engine (<see cref="Find(string, out string?)"/>).</summary>
    public static UploaderProcess? Find(out string? whyNot) =>
        Find(Path.GetDirectoryName(typeof(UploaderProcess).Assembly.Location) ?? AppContext.BaseDirectory, out whyNot);

    /// <summary>The executable this runs.</summary>
    public string ExecutablePath { get; }

    /// <summary>Runs <paramref name="job"/> in the uploader, relaying what it says to <paramref name="reporter"/>.</summary>
    /// <returns>How the call went; <see langword="null"/> when the uploader could not start (nothing was sent: the caller
    /// runs the call itself).</returns>
    public async Task<UploadJobResult?> RunAsync(UploadJob job, IUploadReporter reporter, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo() };
        var errorOutput = new ErrorOutput();
        process.ErrorDataReceived += (_, line) => errorOutput.Add(line.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            reporter.Line(LineImportance.Low, $"{FileName} could not start ({exception.Message}): uploading in this process.");
            return null;
        }

        process.BeginErrorReadLine();
        var output = process.StandardOutput;
        if (await FirstMessageAsync(output).ConfigureAwait(false) != UploaderMessageKind.Started)
        {
            await EndAsync(process).ConfigureAwait(false);
            reporter.Line(LineImportance.Low, $"{FileName} did not start ({Ending(process, errorOutput)}): uploading in this process.");
            return null;
        }

        await SendAsync(process, JsonSerializer.Serialize(job.Order, UploaderJsonContext.Default.UploadOrder)).ConfigureAwait(false);
        UploaderMessage? result;
        using (cancellationToken.Register(() => _ = SendAsync(process, UploaderChild.CancelLine)))
        {
            result = await RelayAsync(output, job, reporter).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return result is not null ? Result(job, result) : Failed(job, reporter, Ending(process, errorOutput));
    }

    /// <summary>What the uploader's first line says, or <see langword="null"/> when it is no message or does not come in
    /// time.</summary>
    private async Task<UploaderMessageKind?> FirstMessageAsync(StreamReader output)
    {
        using var patience = new CancellationTokenSource(StartPatience);
        try
        {
            return await output.ReadLineAsync(patience.Token).ConfigureAwait(false) is { } line ? UploaderMessage.Parse(line)?.Kind : null;
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The runtime variable that sets the uploader's allocation budget between collections (gen0); one the
    /// build's environment sets is kept.</summary>
    private const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>4 MiB, in hex as the native runtime reads it ("0x" is not understood): the default, sized from the
    /// processor's cache, let a call of 500 small files grow the uploader to ~44 MiB before it collected; with this,
    /// ~28 MiB at the same CPU (docs/benchmark.md).</summary>
    private const string Gen0Budget = "400000";

    private ProcessStartInfo StartInfo()
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var startInfo = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        startInfo.Environment.TryAdd(Gen0BudgetVariable, Gen0Budget);
        return startInfo;
    }

    /// <summary>Relays what the uploader says on a thread of its own, with blocking reads: an asynchronous read of a pipe
    /// goes through the socket engine and the thread pool for every line, and the front end's process (MSBuild's, Cake's)
    /// compiles each of those methods again at higher tiers during a long call (500 small files: 0.68 → 0.55 s of the
    /// front end's CPU, docs/benchmark.md).</summary>
    private static Task<UploaderMessage?> RelayAsync(StreamReader output, UploadJob job, IUploadReporter reporter) =>
        Task.Factory.StartNew(() => Relay(output, job, reporter), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Writes what the uploader says to the reporter until it ends; returns its result message, if it sent one.</summary>
    private static UploaderMessage? Relay(StreamReader output, UploadJob job, IUploadReporter reporter)
    {
        var onProgress = new ProgressCallback(job.OnProgress, reporter.Warning);
        UploaderMessage? result = null;
        while (output.ReadLine() is { } line)
        {
            var message = UploaderMessage.Parse(line);
            switch (message?.Kind)
            {
                case UploaderMessageKind.Line when message.Text is { } text:
                    reporter.Line(message.Importance ?? LineImportance.Normal, text);
                    break;
                case UploaderMessageKind.Warning when message.Diagnostic is { } warning:
                    reporter.Warning(warning.ToDiagnostic());
                    break;
                case UploaderMessageKind.Error when message.Diagnostic is { } error:
                    reporter.Error(error.ToDiagnostic());
                    break;
                case UploaderMessageKind.Progress when message.Progress is { } progress && progress.File >= 0 && progress.File < job.Requests.Count:
                    onProgress.Invoke(new FileProgressEvent(job.Requests[progress.File], progress.TransferredBytes, progress.TotalBytes,
                        progress.BytesPerSecond, TimeSpan.FromSeconds(progress.ElapsedSeconds)));
                    break;
                case UploaderMessageKind.Result when message.Outcomes is { } outcomes && (outcomes.Count == 0 || outcomes.Count == job.Requests.Count):
                    result = message;
                    break;
                default:
                    // Not ours: the runtime's own output, say.
                    reporter.Line(LineImportance.Low, $"{FileName}: {Shortened(line)}");
                    break;
            }
        }

        return result;
    }

    private static UploadJobResult Result(UploadJob job, UploaderMessage result)
    {
        var outcomes = result.Outcomes!.Select((outcome, index) => new UploadFileOutcome(job.Requests[index], outcome.Result,
            outcome.Result is null ? new ObsException("UploadFile", ObsErrorKind.Service, $"{FileName} could not upload the file.") : null)).ToList();
        return outcomes.Count == 0 && result.Cancellation is null
            ? UploadJobResult.NothingRan
            : new UploadJobResult(outcomes, result.Cancellation?.ToDiagnostic());
    }

    /// <summary>The uploader ended without saying how the call went (it crashed, or was killed): every file is failed,
    /// with the coded error <c>OBS0034</c>.</summary>
    private static UploadJobResult Failed(UploadJob job, IUploadReporter reporter, string ending)
    {
        var outcomes = new List<UploadFileOutcome>();
        foreach (var request in job.Requests)
        {
            var message = $"The {FileName} process that uploads {request.UploadFile} to {request.BucketName}/{request.ObjectKey} ended without saying how the upload went ({ending}). "
                + (request.EnableCheckpoint ? "The next run resumes from the checkpoint if one was written." : "An unfinished multipart upload may be left on the server.")
                + " Run with InProcess=true to upload in the build's own process, and report the problem.";
            reporter.Error(new Diagnostic(DiagnosticCode.UploaderFailed, message, request.UploadFile));
            outcomes.Add(new UploadFileOutcome(request, null, new ObsException("UploadFile", ObsErrorKind.Service, message)));
        }

        return new UploadJobResult(outcomes, Cancellation: null);
    }

    private static async Task SendAsync(Process process, string line)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The uploader has ended: what it said, or that it said nothing, tells the rest.
        }
    }

    /// <summary>Ends an uploader that did not start as it should.</summary>
    private static async Task EndAsync(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static string Ending(Process process, ErrorOutput errorOutput)
    {
        var code = process.ExitCode;
        var how = code > 128 ? string.Create(CultureInfo.InvariantCulture, $"ended by signal {code - 128}")
            : string.Create(CultureInfo.InvariantCulture, $"exit code {code}");
        return errorOutput.First is { } first ? $"{how}: {first}" : how;
    }

    private static string Shortened(string text) => text.Length <= QuotedErrorLength ? text : text[..QuotedErrorLength] + "…";

    /// <summary>The first line the uploader wrote to its error output (the reason a crash gives), the rest read and dropped.</summary>
    private sealed class ErrorOutput
    {
        private readonly Lock _lock = new();
        private string? _first;

        public string? First
        {
            get
            {
                lock (_lock)
                {
                    return _first;
                }
            }
        }

        public void Add(string? line)
        {
            lock (_lock)
            {
                if (_first is null && !string.IsNullOrWhiteSpace(line))
                {
                    _first = Shortened(line.Trim());
                }
            }
        }
    }
}
