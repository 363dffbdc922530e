using Cake.Core;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>Turns failed uploads into one <see cref="CakeException"/> that names every failed file with the engine's
/// details (operation, HTTP status, error code, message, request id) and says when a rerun can resume.</summary>
internal static class UploadFailure
{
    /// <exception cref="CakeException">At least one upload failed.</exception>
    public static void ThrowIfAny(string bucket, IReadOnlyList<UploadFileOutcome> outcomes)
    {
        var failures = outcomes.Where(outcome => !outcome.Succeeded).ToList();
        if (failures.Count == 0)
        {
            return;
        }

        var lines = failures.Select(failure => $"  '{failure.Request.UploadFile}' -> {failure.Request.ObjectKey}: {Describe(failure.Error!)}");
        var checkpoint = failures.Select(failure => failure.Request)
            .FirstOrDefault(request => request.EnableCheckpoint && File.Exists(request.CheckpointFile))?.CheckpointFile;
        var resume = checkpoint is null
            ? ""
            : $"{Environment.NewLine}Run the build again to resume: the parts already sent are recorded in '{Path.GetDirectoryName(checkpoint)}'.";
        throw new CakeException(
            $"Could not upload {failures.Count} of {outcomes.Count} file(s) to OBS bucket '{bucket}':{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{resume}",
            failures[0].Error);
    }

    private static string Describe(ObsException error) =>
        error.RequestId is null ? error.Message : $"{error.Message} (request id {error.RequestId})";
}
