using System.Globalization;
using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Runner;

/// <summary>The runner's <c>--front-end</c> mode: one call as the MSBuild task and the Cake alias make it
/// (<see cref="UploadJob.Prepare"/>, then <see cref="UploadJob.RunAsync"/>, which starts <c>obs-uploader</c> unless
/// <see cref="UploadSettings.InProcess"/>), every file keyed <c>prefix + file name</c>.</summary>
internal static class FrontEndRun
{
    public static async Task<bool> RunAsync(UploadSettings settings, IReadOnlyList<string> files)
    {
        // The progress callback makes the uploader send progress back, as Cake's OnProgress does (the MSBuild task sets
        // none); at most once a second per file with the default heartbeat of 15 s.
        var job = UploadJob.Prepare(settings with { OnProgress = progress => Console.WriteLine($"progress {progress.TransferredBytes} {progress.TotalBytes}") },
            files.Select(file => new UploadFileSpec(file, RelativeDirectory: "")).ToList(), UploadEnvironment.Process, Environment.CurrentDirectory,
            out var problems);
        if (job is null)
        {
            foreach (var problem in problems)
            {
                Console.WriteLine($"error {problem.Code.Id}: {problem.Message}");
            }

            return false;
        }

        var result = await job.RunAsync(new ConsoleReporter(), CancellationToken.None).ConfigureAwait(false);
        WriteOutcomes(result.Outcomes);
        return result.Succeeded && result.Outcomes.Count == files.Count;
    }

    /// <summary>One <c>done</c> (or <c>failed</c>) line per file, which the benchmark reads.</summary>
    public static void WriteOutcomes(IEnumerable<UploadFileOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            Console.WriteLine(outcome.Result is { } result
                ? string.Create(CultureInfo.InvariantCulture, $"done {result.ObjectKey} {result.ETag} parts={result.PartCount} reused={result.PartsReused} sent={result.BytesSent}")
                : $"failed {outcome.Request.ObjectKey}: {outcome.Error?.Message}");
        }
    }

    /// <summary>Every line the front end narrates, whatever its importance (the uploader's cost is a Low line).</summary>
    private sealed class ConsoleReporter : IUploadReporter
    {
        public void Line(LineImportance importance, string text) => Console.WriteLine($"line {importance}: {text}");

        public void Warning(Diagnostic warning) => Console.WriteLine($"warning {warning.Code.Id}: {warning.Message}");

        public void Error(Diagnostic error) => Console.WriteLine($"error {error.Code.Id}: {error.Message}");
    }
}
