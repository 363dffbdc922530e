using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ObsBuildTasks.FrontEnd.OutOfProcess;

/// <summary>
/// The <c>obs-uploader</c> process's whole job: says it started, reads one order line, uploads the call in this process
/// and sends every line, warning, error, progress and the outcome back as message lines (<see cref="UploaderMessage"/>).
/// It cancels (aborting or keeping the checkpoint, as the order's settings say) when the front end writes a
/// <c>cancel</c> line, when its input ends (the front end's process is gone: a killed build must not leave a billed
/// upload behind) and on SIGINT or SIGTERM.
/// </summary>
internal static class UploaderChild
{
    /// <summary>The exit code of a process that uploaded every file.</summary>
    public const int Uploaded = 0;

    /// <summary>The exit code of a process that ran the order but not every file is on the server (or it was cancelled).</summary>
    public const int NotUploaded = 1;

    /// <summary>The exit code of a process that got no order it could read.</summary>
    public const int NoOrder = 2;

    /// <summary>The line that cancels the running order.</summary>
    public const string CancelLine = "cancel";

    /// <summary>How <see cref="ResourceLine"/> starts.</summary>
    public const string ResourceLinePrefix = "obs-uploader used ";

    /// <summary>Runs one order from <paramref name="input"/>, writing messages to <paramref name="output"/>.</summary>
    /// <returns>The exit code: <see cref="Uploaded"/>, <see cref="NotUploaded"/> or <see cref="NoOrder"/>.</returns>
    public static async Task<int> RunAsync(Stream input, Stream output)
    {
        var messages = new UploaderMessageWriter(output);
        messages.Write(new UploaderMessage(UploaderMessageKind.Started));
        var reader = new StreamReader(input, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var order = ReadOrder(await reader.ReadLineAsync().ConfigureAwait(false));
        if (order is null)
        {
            return NoOrder;
        }

        using var cancellation = new LateCancellation();
        using var signals = new SignalCancellation([PosixSignal.SIGINT, PosixSignal.SIGTERM],
            signal => messages.Line(LineImportance.Low, $"obs-uploader: {signal} received: stopping the upload."));
        using var onSignal = signals.Token.Register(cancellation.Cancel);
        // Not awaited: it may wait for input after the order has run.
        _ = CancelOnInputAsync(reader, cancellation);
        var result = await RunAsync(order, messages, cancellation.Token).ConfigureAwait(false);
        return result.Succeeded ? Uploaded : NotUploaded;
    }

    private static async Task<UploadJobResult> RunAsync(UploadOrder order, UploaderMessageWriter messages, CancellationToken cancellationToken)
    {
        Dictionary<UploadFileRequest, int> indexes = [];
        var settings = order.Settings with
        {
            OnProgress = order.ReportProgress ? progress => messages.Write(new UploaderMessage(UploaderMessageKind.Progress)
            {
                Progress = new UploaderProgress(indexes[progress.Request], progress.TransferredBytes, progress.TotalBytes, progress.BytesPerSecond,
                    progress.Elapsed.TotalSeconds),
            }) : null,
        };
        var environment = new UploadEnvironment(name => order.Environment.GetValueOrDefault(name));
        var job = UploadJob.Prepare(settings, order.Files, environment, order.BaseFolder, out var problems);
        var result = UploadJobResult.NothingRan;
        if (job is null)
        {
            // The front end found the call valid; a file that vanished since then, say.
            foreach (var problem in problems)
            {
                messages.Error(problem);
            }
        }
        else
        {
            foreach (var (request, index) in job.Requests.Select((request, index) => (request, index)))
            {
                indexes[request] = index;
            }

            result = await job.RunHereAsync(messages, cancellationToken).ConfigureAwait(false);
        }

        messages.Line(LineImportance.Low, ResourceLine());
        messages.Write(new UploaderMessage(UploaderMessageKind.Result)
        {
            Outcomes = [.. result.Outcomes.Select(outcome => new UploaderOutcome(outcome.Result))],
            Cancellation = result.Cancellation is { } cancellation ? UploaderDiagnostic.From(cancellation) : null,
        });
        return result;
    }

    /// <summary>What the uploader cost (the build's own figures do not include it): its CPU time and peak memory.</summary>
    public static string ResourceLine()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"{ResourceLinePrefix}{self.TotalProcessorTime.TotalSeconds:0.00} s CPU, peak memory {ByteSize.Format(self.PeakWorkingSet64)}.");
    }

    private static UploadOrder? ReadOrder(string? line)
    {
        try
        {
            return line is null ? null : JsonSerializer.Deserialize(line, UploaderJsonContext.Default.UploadOrder);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Cancels on a <see cref="CancelLine"/> or at the end of the input; other lines are ignored.</summary>
    private static async Task CancelOnInputAsync(StreamReader reader, LateCancellation cancellation)
    {
        try
        {
            string? line;
            do
            {
                line = await reader.ReadLineAsync().ConfigureAwait(false);
            }
            while (line is not null && line != CancelLine);
        }
        catch (IOException)
        {
            // A broken input ends it too.
        }

        cancellation.Cancel();
    }

    /// <summary>A cancellation that may still be asked for after the order has run (by the input's end, say), when it
    /// no longer matters.</summary>
    private sealed class LateCancellation : IDisposable
    {
        private readonly CancellationTokenSource _source = new();
        private readonly Lock _lock = new();
        private bool _disposed;

        public CancellationToken Token => _source.Token;

        public void Cancel()
        {
            lock (_lock)
            {
                if (!_disposed)
                {
                    _source.Cancel();
                }
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _source.Dispose();
            }
        }
    }
}
