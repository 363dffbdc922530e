using Cake.Core.Diagnostics;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>
/// Writes what an upload does to Cake's log: the engine's per-file news at normal verbosity, per-part detail at
/// verbose, warnings always; progress at normal; the summary at minimal. Messages are written verbatim (never used as
/// format strings), and none of them holds a credential.
/// </summary>
internal sealed class UploadLog
{
    private readonly ICakeLog _log;

    public UploadLog(ICakeLog log) => _log = log;

    /// <summary>Receives the engine's messages (<see cref="ObsClientOptions.Log"/>).</summary>
    public void Engine(ObsLogLevel level, string message)
    {
        var (verbosity, logLevel) = level switch
        {
            ObsLogLevel.Warning => (Verbosity.Minimal, LogLevel.Warning),
            ObsLogLevel.Info => (Verbosity.Normal, LogLevel.Information),
            _ => (Verbosity.Verbose, LogLevel.Verbose),
        };
        Write(verbosity, logLevel, message);
    }

    /// <summary>Reports how far one file has come; the start (nothing sent) and the end are left to the engine's news.</summary>
    public void Progress(string fileName, UploadProgress progress)
    {
        if (progress.TransferredBytes > 0 && progress.TransferredBytes < progress.TotalBytes)
        {
            var percent = (int)(100 * progress.TransferredBytes / progress.TotalBytes);
            Write(Verbosity.Normal, LogLevel.Information, FormattableString.Invariant(
                $"Uploading {fileName}: {percent}% ({Size(progress.TransferredBytes)} of {Size(progress.TotalBytes)}, {progress.ElapsedSeconds:0.0} s)"));
        }
    }

    /// <summary>One line for the whole call.</summary>
    public void Summary(string bucket, IReadOnlyList<ObsUploadResult> results, TimeSpan elapsed)
    {
        var resumed = results.Count(result => result.Resumed);
        var skipped = results.Count(result => result.Skipped);
        Write(Verbosity.Minimal, LogLevel.Information, FormattableString.Invariant(
            $"Uploaded {results.Count} file(s) ({Size(results.Sum(result => result.Size))}) to OBS bucket '{bucket}' in {elapsed.TotalSeconds:0.0} s ({Size(results.Sum(result => result.BytesSent))} sent, {resumed} resumed, {skipped} unchanged and skipped)."));
    }

    /// <summary>Says that a call had nothing to upload.</summary>
    public void NothingToUpload(string bucket) =>
        Write(Verbosity.Minimal, LogLevel.Warning, $"No files to upload to OBS bucket '{bucket}'.");

    private void Write(Verbosity verbosity, LogLevel level, string message) => _log.Write(verbosity, level, "{0}", message);

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => FormattableString.Invariant($"{bytes} B"),
        < 1024 * 1024 => FormattableString.Invariant($"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => FormattableString.Invariant($"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => FormattableString.Invariant($"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };
}
